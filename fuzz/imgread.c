/* fuzz target: the image reader behind mkinitramfs --list and --extract (mkinitramfs/imgread.c,
 * inspect.c) on arbitrary bytes: every compression's decoder, the newc parser, and, for inputs that
 * parse, the extraction with its promise to never write outside DIR.
 *
 * Run as root, the target first gives up CAP_MKNOD: a fuzzed image names device nodes with random
 * numbers, and the fuzzer must not be able to create (let alone write) a real disk's node. The
 * extraction then skips device nodes as it does for any user; fifos and sockets are still made. */
#include "imgread.h"
#include "inspect.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char base[64], out[80], image[64];
static void cleanup(void);
static int memfd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct c[2];
	if (syscall(SYS_capget, &h, c) < 0)
		abort();
	c[0].effective &= ~(1u << CAP_MKNOD);
	c[0].permitted &= ~(1u << CAP_MKNOD);
	c[0].inheritable &= ~(1u << CAP_MKNOD);
	if (syscall(SYS_capset, &h, c) < 0 || mknod("/tmp/.fuzz-imgread-mknod-check", S_IFCHR | 0600, makedev(1, 3)) == 0)
		abort(); /* still able to make device nodes: refuse to run */
	snprintf(base, sizeof base, "/tmp/fuzz-imgread.XXXXXX");
	if (!mkdtemp(base))
		abort();
	snprintf(out, sizeof out, "%s/out", base);
	atexit(cleanup);
	memfd = memfd_create("image", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	snprintf(image, sizeof image, "/proc/self/fd/%d", memfd);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_D || type == FTW_DP || type == FTW_DNR)
		chmod(path, 0700); /* an extracted mode 000 directory must still be emptied */
	remove(path); /* a directory not yet empty fails here and goes in the second pass */
	return 0;
}

/* Directories first made writable (the extraction may have made them 0555), then removed bottom-up. */
static void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_PHYS);          /* pre-order pass: chmod directories, drop files */
	nftw(path, rm_one, 16, FTW_PHYS | FTW_DEPTH); /* post-order: the directories themselves */
}

/* The scratch directory goes when the fuzzer ends (libFuzzer leaves through exit()). */
static void cleanup(void)
{
	rm_tree(base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rimage img = { 0 };
	int rc = imgread_mem("fuzz", data, size, &img);
	if (rc == 0) {
		/* Every entry's name and data lie in buffers the image owns: touch each byte's end. */
		unsigned sum = 0;
		for (size_t i = 0; i < img.n; i++) {
			sum += (unsigned char)img.v[i].name[strlen(img.v[i].name)];
			if (img.v[i].size)
				sum += img.v[i].data[img.v[i].size - 1];
		}
		if (sum > 255 * 2 * img.n)
			abort();
	}
	imgread_free(&img);
	if (rc != 0)
		return 0;

	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	inspect_extract(image, out, false);
	/* The oracle: whatever the image says, nothing appeared beside DIR. */
	DIR *d = opendir(base);
	if (!d)
		abort();
	for (struct dirent *de; (de = readdir(d));)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "out")) {
			fprintf(stderr, "extraction wrote %s/%s outside DIR\n", base, de->d_name);
			abort();
		}
	closedir(d);
	rm_tree(out);
	return 0;
}
