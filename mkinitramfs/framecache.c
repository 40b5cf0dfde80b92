/* framecache.c — the content-addressed cache of zstd frames (framecache.h).
 *
 * Nothing read from the cache is trusted: a hit must be exactly one zstd frame with a checksum and a
 * window the kernel takes, and must decompress to the bytes it stands for, compared byte for byte with
 * the records just written (not only their hash). So a truncated file (a crash
 * between write and rename need not be fsync'ed away), a flipped bit or a stranger's file costs a
 * recompression, never a wrong image. */
#include "framecache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

/* Changes when what a key stands for changes (the frame format this tool writes). */
#define FORMAT_TAG "earlyroot zstd frame 1"
/* The largest window levels <= 19 use; the kernel's decoder allocates the window at boot. */
#define MAX_WINDOW (8u << 20)
/* A temporary entry this old is a crashed build's: a store takes milliseconds. */
#define STALE_TEMP_SECONDS 3600

struct framecache {
	char *dir; /* NULL: disabled */
	uint64_t max; /* the cap on the entries' total size */
	bool stored;  /* this build stored a frame: prune afterwards */
	bool verbose;
	EVP_MD *sha256;
	ZSTD_DCtx *dctx;
	struct buf out; /* a cached frame decompressed, to compare with the records */
};

struct framecache *framecache_disabled(void)
{
	struct framecache *fc = xmalloc(sizeof(*fc));
	*fc = (struct framecache){ 0 };
	return fc;
}

/* mkdir -p; 0 if path is a directory afterwards. */
static int make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if (*p && mkdir(p, 0755) < 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		if (!s)
			break;
		*s = '/';
	}
	free(p);
	struct stat st;
	if (rc == 0 && stat(path, &st) < 0)
		rc = -1;
	if (rc == 0 && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		rc = -1;
	}
	return rc;
}

struct framecache *framecache_open(const char *dir, uint64_t max, bool verbose)
{
	struct framecache *fc = framecache_disabled();
	fc->verbose = verbose;
	fc->max = max;
	const char *env = getenv("EARLYROOT_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *path;
	if (dir)
		path = xstrdup(dir);
	else if (env && *env) /* the root of earlyroot's caches, as for qemu-tests/fetch-kernel's kernels/ */
		path = xasprintf("%s/zstd-frames", env);
	else if (xdg && *xdg == '/') /* the XDG spec: a relative value is to be ignored */
		path = xasprintf("%s/earlyroot/zstd-frames", xdg);
	else if (home && *home)
		path = xasprintf("%s/.cache/earlyroot/zstd-frames", home);
	else {
		if (verbose)
			printf(PROG ": no frame cache (HOME is not set): every zstd frame is compressed\n");
		return fc;
	}
	if (make_dirs(path) < 0 || access(path, W_OK | X_OK) < 0) {
		if (verbose)
			printf(PROG ": frame cache %s unusable (%s): building without it\n", path, strerror(errno));
		free(path);
		return fc;
	}
	/* Not openssl.cnf: a hash needs no configuration, and reading it costs milliseconds. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	fc->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	fc->dctx = ZSTD_createDCtx();
	if (!fc->sha256 || !fc->dctx) {
		if (verbose)
			printf(PROG ": no frame cache: libcrypto has no SHA-256 or libzstd no decoder here\n");
		free(path);
		return fc;
	}
	fc->dir = path;
	return fc;
}

bool framecache_enabled(const struct framecache *fc)
{
	return fc->dir != NULL;
}

void framecache_free(struct framecache *fc)
{
	if (!fc)
		return;
	free(fc->dir);
	EVP_MD_free(fc->sha256);
	ZSTD_freeDCtx(fc->dctx);
	buf_free(&fc->out);
	free(fc);
}

int framecache_key(const struct framecache *fc, const char *params, const void *raw, size_t len,
		   unsigned char key[FRAMECACHE_KEY_LEN])
{
	unsigned v = ZSTD_versionNumber();
	unsigned char version[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
				     (unsigned char)(v >> 24) };
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned n = 0;
	/* Each part ends in a NUL or has a fixed size, so no two different inputs hash the same bytes. */
	int ok = ctx && fc->sha256 && EVP_DigestInit_ex(ctx, fc->sha256, NULL) &&
		 EVP_DigestUpdate(ctx, FORMAT_TAG, sizeof(FORMAT_TAG)) && EVP_DigestUpdate(ctx, version, sizeof(version)) &&
		 EVP_DigestUpdate(ctx, params, strlen(params) + 1) && EVP_DigestUpdate(ctx, raw, len) &&
		 EVP_DigestFinal_ex(ctx, key, &n) && n == FRAMECACHE_KEY_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static char *entry_path(const struct framecache *fc, const unsigned char key[FRAMECACHE_KEY_LEN], bool temp)
{
	char hex[2 * FRAMECACHE_KEY_LEN + 1];
	for (int i = 0; i < FRAMECACHE_KEY_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	return temp ? xasprintf("%s/.%s.XXXXXX", fc->dir, hex) : xasprintf("%s/%s.zst", fc->dir, hex);
}

/* The frame header (RFC 8878, 3.1.1.1): a checksum, and a window the kernel allocates without fuss. */
static bool header_ok(const unsigned char *p, size_t n)
{
	if (n < 6 || p[0] != 0x28 || p[1] != 0xb5 || p[2] != 0x2f || p[3] != 0xfd)
		return false;
	unsigned fhd = p[4];
	if (!(fhd & 0x04)) /* Content_Checksum_flag */
		return false;
	if (fhd & 0x20) /* Single_Segment_flag: the window is the content, which the caller checks */
		return true;
	unsigned exponent = p[5] >> 3, mantissa = p[5] & 7;
	uint64_t base = (uint64_t)1 << (10 + exponent);
	return base + base / 8 * mantissa <= MAX_WINDOW;
}

/* The whole file into b; -1 with errno. */
static int read_fd(int fd, struct buf *b)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	buf_reserve_big(b, (size_t)st.st_size + 1);
	for (;;) {
		buf_reserve(b, 65536);
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
	}
}

/* p[0..n) is one zstd frame of the kind this tool writes that decompresses to exactly raw[0..len):
 * decompressed whole into a buffer of the cache's (the content size is in the header), compared byte
 * for byte. One decompression, no second hash; the buffer is reused from frame to frame. */
static bool frame_is(struct framecache *fc, const unsigned char *p, size_t n, const void *raw, size_t len)
{
	if (!header_ok(p, n) || ZSTD_findFrameCompressedSize(p, n) != n || ZSTD_getFrameContentSize(p, n) != len)
		return false;
	fc->out.len = 0;
	buf_reserve_big(&fc->out, len + 1);
	size_t got = ZSTD_decompressDCtx(fc->dctx, fc->out.data, fc->out.cap, p, n);
	/* ZSTD_isError: also a content checksum that does not match */
	return !ZSTD_isError(got) && got == len && memcmp(fc->out.data, raw, len) == 0;
}

int framecache_get(struct framecache *fc, const unsigned char key[FRAMECACHE_KEY_LEN], const void *raw, size_t len,
		   struct buf *frame)
{
	if (!fc->dir)
		return 0;
	char *path = entry_path(fc, key, false);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	frame->len = 0;
	int rc = fd >= 0 && read_fd(fd, frame) == 0 &&
			 frame_is(fc, (const unsigned char *)frame->data, frame->len, raw, len)
		 ? 1
		 : -1;
	/* Used now: the last to be pruned. Not ours to touch (another user's cache) is no matter. */
	if (rc == 1)
		futimens(fd, NULL);
	if (fd >= 0)
		close(fd);
	if (rc < 0 && fc->verbose)
		printf(PROG ": frame cache: %s is not the frame it is named for (unreadable, truncated or corrupt): "
		       "compressing again and replacing it\n",
		       path);
	free(path);
	return rc;
}

void framecache_put(struct framecache *fc, const unsigned char key[FRAMECACHE_KEY_LEN], const void *frame, size_t len)
{
	if (!fc->dir)
		return;
	char *tmp = entry_path(fc, key, true), *path = entry_path(fc, key, false);
	int fd = mkostemp(tmp, O_CLOEXEC);
	/* mkstemp makes 0600; the mode any new file gets, as the image's own. */
	mode_t mask = umask(0);
	umask(mask);
	int ok = fd >= 0 && fchmod(fd, 0666 & ~mask) == 0 && write_full(fd, frame, len) == 0;
	if (fd >= 0 && close(fd) < 0)
		ok = 0;
	/* A parallel build may store the same frame at the same time: either rename wins, both are right. */
	if (ok && rename(tmp, path) < 0)
		ok = 0;
	if (ok)
		fc->stored = true;
	if (!ok) {
		int err = errno;
		if (fd >= 0)
			unlink(tmp);
		if (fc->verbose)
			printf(PROG ": frame cache: cannot store %s: %s\n", path, strerror(err));
	}
	free(tmp);
	free(path);
}

/* DIR/KEY.zst, KEY 64 lowercase hex digits; DIR/.KEY.XXXXXX for a store under way. */
static bool is_entry_name(const char *name)
{
	return strlen(name) == 2 * FRAMECACHE_KEY_LEN + 4 && strspn(name, "0123456789abcdef") == 2 * FRAMECACHE_KEY_LEN &&
	       strcmp(name + 2 * FRAMECACHE_KEY_LEN, ".zst") == 0;
}

static bool is_temp_name(const char *name)
{
	return name[0] == '.' && strlen(name) == 1 + 2 * FRAMECACHE_KEY_LEN + 7 &&
	       strspn(name + 1, "0123456789abcdef") == 2 * FRAMECACHE_KEY_LEN && name[1 + 2 * FRAMECACHE_KEY_LEN] == '.';
}

struct cached {
	char *name;
	uint64_t size;
	struct timespec mtime;
};

/* The least recently used first; the name breaks ties, so that every build agrees on the order. */
static int by_age(const void *a, const void *b)
{
	const struct cached *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

void framecache_prune(struct framecache *fc)
{
	if (!fc->dir || !fc->stored)
		return;
	DIR *d = opendir(fc->dir);
	if (!d) {
		if (fc->verbose)
			printf(PROG ": frame cache: cannot read %s to prune it: %s\n", fc->dir, strerror(errno));
		return;
	}
	struct cached *v = NULL;
	size_t n = 0, cap = 0, removed = 0;
	uint64_t total = 0, freed = 0;
	time_t now = time(NULL);
	struct dirent *de;
	struct stat st;
	/* Only what this tool names: a stranger's file in the directory is left alone. */
	while ((de = readdir(d))) {
		bool entry = is_entry_name(de->d_name);
		if ((!entry && !is_temp_name(de->d_name)) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!entry) {
			if (now - st.st_mtim.tv_sec > STALE_TEMP_SECONDS)
				unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct cached){ xstrdup(de->d_name), (uint64_t)st.st_size, st.st_mtim };
		total += (uint64_t)st.st_size;
	}
	if (total > fc->max) {
		qsort(v, n, sizeof(*v), by_age);
		/* ENOENT: a parallel build removed it first; either way it no longer counts. */
		for (size_t i = 0; i < n && total > fc->max; i++) {
			if (unlinkat(dirfd(d), v[i].name, 0) < 0 && errno != ENOENT)
				continue;
			total -= v[i].size;
			freed += v[i].size;
			removed++;
		}
		if (fc->verbose)
			printf(PROG ": frame cache: removed the %zu least recently used entr%s (%llu bytes) to stay under "
			       "%llu bytes\n",
			       removed, removed == 1 ? "y" : "ies", (unsigned long long)freed, (unsigned long long)fc->max);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
}
