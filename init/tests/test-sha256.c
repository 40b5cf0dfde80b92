/* test-sha256 — init/sha256.c under the sanitizers (TAP): the NIST example messages (FIPS 180-4
 * examples, CAVP's one million 'a'), every split of a message into update() calls, and files of odd
 * sizes through sha256_fd() against sha256sum(1), with progress reports checked.
 *   test-sha256 [--bench FILE]   (--bench: time sha256_fd over FILE, print MB/s, no TAP) */
#include "sha256.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static int digest_is(const void *msg, size_t len, const char *want)
{
	struct sha256 s;
	uint8_t d[32];
	char h[65];
	sha256_init(&s);
	sha256_update(&s, msg, len);
	sha256_final(&s, d);
	hex(d, h);
	if (strcmp(h, want))
		printf("#   got  %s\n#   want %s\n", h, want);
	return !strcmp(h, want);
}

struct prog {
	unsigned calls;
	uint64_t last;
	int monotonic;
};

static void on_progress(void *ctx, uint64_t done)
{
	struct prog *p = ctx;
	if (p->calls && done < p->last)
		p->monotonic = 0;
	p->calls++;
	p->last = done;
}

static uint64_t rng = 0x243F6A8885A308D3ull;
static uint8_t rnd8(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint8_t)(rng >> 32);
}

/* A random file of SIZE bytes: our sha256_fd against sha256sum's. */
static void test_file(const char *dir, size_t size)
{
	char path[256], cmd[512], want[80] = "", got[65];
	uint8_t *buf = malloc(size ? size : 1), d[32];
	for (size_t i = 0; i < size; i++)
		buf[i] = rnd8();
	snprintf(path, sizeof path, "%s/f%zu", dir, size);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write(fd, buf, size) == (ssize_t)size;
	close(fd);
	free(buf);
	snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
	FILE *p = popen(cmd, "r");
	ok = ok && p && fgets(want, sizeof want, p);
	if (p)
		pclose(p);
	want[64] = 0;
	struct prog pr = { .monotonic = 1 };
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ok = ok && sha256_fd(fd, d, on_progress, &pr) == 0;
	close(fd);
	hex(d, got);
	/* about every 8 MiB, and once at the end with the total */
	unsigned want_calls = (unsigned)(size / (8u << 20)) + 1;
	CHECK(ok && !strcmp(got, want) && pr.monotonic && pr.last == size && pr.calls >= want_calls &&
		      pr.calls <= want_calls + 1,
	      "a %zu-byte file: sha256_fd equals sha256sum, %u progress reports ending at the size", size, pr.calls);
	unlink(path);
}

static int bench(const char *path)
{
	uint8_t d[32];
	struct timespec a, b;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (fd < 0 || sha256_fd(fd, d, NULL, NULL) < 0) {
		perror(path);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.1f MB/s (%lld bytes in %.3f s)\n", (double)size / s / 1e6, (long long)size, s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--bench"))
		return bench(argv[2]);

	CHECK(digest_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "empty message");
	CHECK(digest_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "\"abc\"");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	CHECK(digest_is(m448, strlen(m448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
	      "the 448-bit message");
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
			   "mnopqrstnopqrstu";
	CHECK(digest_is(m896, strlen(m896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
	      "the 896-bit message");
	char *million = malloc(1000000);
	memset(million, 'a', 1000000);
	CHECK(digest_is(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
	      "one million 'a'");

	/* The same million bytes fed in uneven pieces: every path through update()'s partial block. */
	struct sha256 s;
	uint8_t d1[32], d2[32];
	int same = 1;
	for (size_t step = 1; step <= 200; step += 7) {
		sha256_init(&s);
		for (size_t off = 0; off < 1000000; off += step)
			sha256_update(&s, million + off, off + step <= 1000000 ? step : 1000000 - off);
		sha256_final(&s, d1);
		if (step == 1)
			memcpy(d2, d1, 32);
		same &= !memcmp(d1, d2, 32);
	}
	char h[65];
	hex(d2, h);
	CHECK(same && !strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
	      "one million 'a' in pieces of 1 to 197 bytes: the same digest");
	free(million);

	/* Lengths around the padding boundary (55, 56, 63, 64 bytes...) against sha256sum, through files. */
	char dir[] = "/tmp/earlyroot-sha256.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return tap_finish();
	}
	static const size_t sizes[] = { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 65537, (1u << 20) - 1,
					(1u << 20) + 1, (8u << 20) + 3, (17u << 20) + 12345 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		test_file(dir, sizes[i]);

	/* A read error: a directory cannot be read. */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	errno = 0;
	CHECK(sha256_fd(fd, d1, NULL, NULL) == -1 && errno == EISDIR, "a read error: -1 with errno (%s)", strerror(errno));
	close(fd);
	rmdir(dir);
	return tap_finish();
}
