/* main.c — mkinitramfs: build an earlyroot initramfs image (docs/image-format.md).
 *
 *   mkinitramfs -o OUTPUT [-k KVER] [-b BASEDIR] [-m MODULE[,MODULE...]]... [-c CONFIG]
 *               [-z none|gzip|zstd[:LEVEL]|xz|lz4] [--shell] [--add SRC[:DEST]]... [--lockdown]
 *               [--from-list FILE] [--microcode] [--hostonly] [--live] [--net] [--init PATH]
 *               [--luks] [--lvm] [--md] [--verity] [--fsck]
 *               [--cache-dir DIR] [--cache-max SIZE] [--no-cache] [--no-modules] [-v]
 *   mkinitramfs --list IMAGE | --extract IMAGE DIR
 *
 * Two phases: plan.c decides and checks everything the image holds (modules.c resolves the modules,
 * image.c assembles the entry list), then this file writes it as newc cpio (cpio.c) through a
 * compressor (compress.c) or, for zstd, as frames (zframes.c) some of which come from the frame cache
 * (framecache.c), into a temporary file that is renamed into place (outfile.c). */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "compress.h"
#include "config.h"
#include "cpio.h"
#include "framecache.h"
#include "inspect.h"
#include "options.h"
#include "outfile.h"
#include "plan.h"
#include "util.h"
#include "zframes.h"

static void usage(FILE *f)
{
	fputs("usage: mkinitramfs -o OUTPUT [-k KVER] [-b BASEDIR] [-m MODULE[,MODULE...]]... [-c CONFIG]\n"
	      "                   [-z none|gzip|zstd[:LEVEL]|xz|lz4] [--shell] [--add SRC[:DEST]]... [--lockdown]\n"
	      "                   [--from-list FILE] [--microcode] [--hostonly] [--live] [--net] [--init PATH]\n"
	      "                   [--luks] [--lvm] [--md] [--verity] [--fsck]\n"
	      "                   [--cache-dir DIR] [--cache-max SIZE] [--no-cache] [--no-modules] [-v]\n"
	      "  -o, --output PATH      the image to write (replaced atomically)\n"
	      "  -k, --kver KVER        kernel release of the modules (default: uname -r)\n"
	      "  -b, --basedir DIR      read modules from DIR/lib/modules/KVER (default: /)\n"
	      "  -m, --modules LIST     modules or aliases to include with their dependencies and softdeps, loaded\n"
	      "                         at every boot; DIR/: every module below that directory of the module\n"
	      "                         tree, loaded when a device asks for it (modalias autoload)\n"
	      "  -z, --compress METHOD  none, gzip, zstd, zstd:LEVEL (1..19, default 19), xz or lz4 (default: zstd)\n"
	      "      --cache-dir DIR    keep compressed zstd frames (modules, big files) in DIR (default:\n"
	      "                         ${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-~/.cache}/earlyroot}/zstd-frames)\n"
	      "      --cache-max SIZE   keep the cache under SIZE bytes (K, M, G: KiB, MiB, GiB; default 64M),\n"
	      "                         removing the least recently used frames\n"
	      "      --no-cache         compress every zstd frame, read and write no cache (same image)\n"
	      "      --no-modules       an image without kernel modules (a kernel with its drivers built in);\n"
	      "                         without it, BASEDIR/lib/modules/KVER must exist\n"
	      "      --init PATH        the /init binary (default: init next to this program, then\n"
	      "                         " EARLYROOT_LIBDIR "/init)\n"
	      "      --add SRC[:DEST]   add a host file, directory or symlink at DEST (default: SRC); dynamic ELF\n"
	      "                         files bring their interpreter and libraries; repeatable. Hooks:\n"
	      "                         --add FILE:/lib/earlyroot/hooks/STAGE/NN-name\n"
	      "      --shell            busybox as /bin/busybox, /bin/sh and its applets in /bin (rescue shell)\n"
	      "      --busybox PATH     the busybox for --shell (default: /bin/busybox, Debian's busybox-static)\n"
	      "      --lockdown         lockdown=1 in image.conf: the init never gives a shell (not with --shell)\n"
	      "      --from-list FILE   extra entries in the kernel's gen_init_cpio list format (file, dir, nod,\n"
	      "                         slink, pipe, sock), with the mode, uid and gid the list gives\n"
	      "      --microcode        an early uncompressed archive first, with the CPU microcode of\n"
	      "                         BASEDIR/lib/firmware/intel-ucode and amd-ucode\n"
	      "      --hostonly         add the modules of this machine's devices (modalias, loaded on demand) and\n"
	      "                         root filesystem (at every boot), and cmdline=root=UUID=... of its root to\n"
	      "                         image.conf; the LUKS, LVM, MD and dm-verity layers under the root turn on\n"
	      "                         --luks, --lvm, --md, --verity, with rd.luks.uuid=, rd.lvm.lv=, rd.md.uuid=\n"
	      "                         in cmdline= and the root's /etc/crypttab lines (and their key files)\n"
	      "      --live             add what a live medium needs (earlyroot-mklive): loop, isofs, squashfs,\n"
	      "                         erofs, overlay, vfat and NLS at every boot; CD, USB stick, AHCI/IDE and\n"
	      "                         virtio drivers on demand (those this kernel lacks are left out)\n"
	      "      --net              add what a network boot needs (ip=, root=nfs:, root=live:http://): the NFS\n"
	      "                         client for an NFS root's mount, the common NIC drivers on demand\n"
	      "      --luks             LUKS: /sbin/cryptsetup, dm-crypt and its ciphers (/etc/earlyroot/modules.luks)\n"
	      "      --lvm              LVM: /sbin/lvm, an /etc/lvm/lvm.conf for a udev-less boot, dm targets\n"
	      "                         (/etc/earlyroot/modules.lvm)\n"
	      "      --md               MD RAID: /sbin/mdadm, /etc/mdadm/mdadm.conf (AUTO +all, HOMEHOST <ignore>),\n"
	      "                         md_mod and the RAID levels (/etc/earlyroot/modules.md)\n"
	      "      --verity           dm-verity (set up by the init itself): dm_verity (/etc/earlyroot/modules.verity)\n"
	      "      --fsck             /sbin/e2fsck as fsck.ext2/3/4, and fsck.fat as fsck.vfat/msdos if installed\n"
	      "  -c, --config FILE      key = value lines, keys named like the long options (modules = a b c);\n"
	      "                         the command line wins, lists (modules, add) from both are used\n"
	      "  -v, --verbose          say which module is added and why, and the sizes\n"
	      "Timestamps in the image are SOURCE_DATE_EPOCH, or 0.\n"
	      "       mkinitramfs --list IMAGE [-v]\n"
	      "       mkinitramfs --extract IMAGE DIR [-v]\n"
	      "  show or unpack any initramfs (every segment: uncompressed, gzip, zstd, xz, lz4)\n",
	      f);
}

/* The yes/no options: --NAME on the command line, NAME = yes|no in the -c file. */
static const struct {
	const char *name;
	size_t offset; /* of its bool in struct options */
} flags[] = {
	{ "shell", offsetof(struct options, shell) },
	{ "lockdown", offsetof(struct options, lockdown) },
	{ "verbose", offsetof(struct options, verbose) },
	{ "microcode", offsetof(struct options, microcode) },
	{ "hostonly", offsetof(struct options, hostonly) },
	{ "no-cache", offsetof(struct options, no_cache) },
	{ "no-modules", offsetof(struct options, no_modules) },
	{ "live", offsetof(struct options, live) },
	{ "net", offsetof(struct options, net) },
	{ "luks", offsetof(struct options, storage.luks) },
	{ "lvm", offsetof(struct options, storage.lvm) },
	{ "md", offsetof(struct options, storage.md) },
	{ "verity", offsetof(struct options, storage.verity) },
	{ "fsck", offsetof(struct options, storage.fsck) },
};
#define NFLAGS (sizeof(flags) / sizeof(flags[0]))

static bool *flag(struct options *o, size_t i)
{
	return (bool *)((char *)o + flags[i].offset);
}

static void add_modules(struct options *o, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	/* Commas (the -m syntax) or blanks (the config file's "modules = a b c"). */
	for (char *name = strtok_r(copy, ", \t", &save); name; name = strtok_r(NULL, ", \t", &save)) {
		o->modules = xrealloc(o->modules, (o->nmodules + 1) * sizeof(*o->modules));
		o->modules[o->nmodules++] = xstrdup(name);
	}
	free(copy);
}

static void free_options(struct options *o)
{
	strv_free(o->modules, o->nmodules);
	strv_free(o->adds, o->nadds);
	strv_free(o->lists, o->nlists);
	strv_free(o->owned, o->nowned);
}

static void add_add(struct options *o, const char *spec)
{
	o->adds = xrealloc(o->adds, (o->nadds + 1) * sizeof(*o->adds));
	o->adds[o->nadds++] = xstrdup(spec);
}

static void add_list(struct options *o, const char *path)
{
	o->lists = xrealloc(o->lists, (o->nlists + 1) * sizeof(*o->lists));
	o->lists[o->nlists++] = xstrdup(path);
}

static const char *keep(struct options *o, const char *s)
{
	o->owned = xrealloc(o->owned, (o->nowned + 1) * sizeof(*o->owned));
	return o->owned[o->nowned++] = xstrdup(s);
}

/* -z's value (where: the config file's line, or NULL for the command line); -1 after one error line. */
static int parse_compression(const char *value, const char *where, enum compression *c, int *level)
{
	int rc = compression_parse(value, c, level);
	if (rc == -2)
		errorf("%s%sbad zstd level in '%s' (use zstd:1 to zstd:%d)", where ? where : "", where ? ": " : "", value,
		       ZSTD_LEVEL_MAX);
	else if (rc < 0)
		errorf("%s%sunknown compression '%s' (use none, gzip, zstd, zstd:LEVEL, xz or lz4)", where ? where : "",
		       where ? ": " : "", value);
	return rc < 0 ? -1 : 0;
}

/* --cache-max's SIZE (where: as for parse_compression()): bytes, or a number of K, M or G (KiB, MiB, GiB);
 * -1 after one error line. */
static int parse_size(const char *value, const char *where, uint64_t *bytes)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 10);
	unsigned shift = !*end ? 0 : !strcmp(end, "K") ? 10 : !strcmp(end, "M") ? 20 : !strcmp(end, "G") ? 30 : 64;
	if (*value < '0' || *value > '9' || end == value || errno || shift == 64 || v == 0 || v > (UINT64_MAX >> shift)) {
		errorf("%s%sbad cache size '%s' (use a number of bytes above 0, or of K, M or G: --cache-max 64M)",
		       where ? where : "", where ? ": " : "", value);
		return -1;
	}
	*bytes = (uint64_t)v << shift;
	return 0;
}

/* One line of the -c file: the long option names. A value given on the command line wins; lists
 * (modules, add) from both are used; a yes/no option is on if either turns it on. */
static int apply_config(void *ctx, const char *key, const char *value, const char *where)
{
	struct options *o = ctx;
	bool b;
	if (strcmp(key, "modules") == 0) {
		add_modules(o, value);
		return 0;
	}
	if (strcmp(key, "add") == 0) {
		add_add(o, value);
		return 0;
	}
	if (strcmp(key, "from-list") == 0) {
		add_list(o, value);
		return 0;
	}
	for (size_t i = 0; i < NFLAGS; i++) {
		if (strcmp(key, flags[i].name) != 0)
			continue;
		if (config_bool(value, where, key, &b) < 0)
			return -1;
		*flag(o, i) = *flag(o, i) || b;
		return 0;
	}
	if (!*value) {
		errorf("%s: %s needs a value", where, key);
		return -1;
	}
	if (strcmp(key, "compress") == 0) {
		enum compression c;
		int level;
		if (parse_compression(value, where, &c, &level) < 0)
			return -1;
		if (!o->compression_set) {
			o->compression = c;
			o->zstd_level = level;
		}
		return 0;
	}
	if (strcmp(key, "cache-max") == 0) {
		uint64_t bytes;
		if (parse_size(value, where, &bytes) < 0)
			return -1;
		if (!o->cache_max)
			o->cache_max = bytes;
		return 0;
	}
	static const char *const strs[] = { "output", "kver", "basedir", "init", "busybox", "cache-dir" };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (strcmp(key, strs[i]) != 0)
			continue;
		const char **field = i == 0 ? &o->output : i == 1 ? &o->kver : i == 2 ? &o->basedir : i == 3 ? &o->init
								    : i == 4 ? &o->busybox
									     : &o->cache_dir;
		if (!*field)
			*field = keep(o, value);
		return 0;
	}
	struct buf names = { 0 };
	for (size_t i = 0; i < NFLAGS; i++)
		buf_printf(&names, ", %s", flags[i].name);
	errorf("%s: unknown key '%s' (the keys are the long options: modules, add, compress, output, kver, "
	       "basedir, init, busybox, from-list, cache-dir, cache-max%s)",
	       where, key, names.data);
	buf_free(&names);
	return -1;
}

/* 0: run, 1: exit 0 (--help), -1: usage error, -2: bad config file (both already reported). */
static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_INIT = 256, OPT_HELP, OPT_LIST, OPT_EXTRACT, OPT_ADD, OPT_BUSYBOX, OPT_FROM_LIST, OPT_CACHE_DIR, OPT_CACHE_MAX, OPT_FLAG };
	static const struct option valued[] = {
		{ "output", required_argument, NULL, 'o' },  { "kver", required_argument, NULL, 'k' },
		{ "basedir", required_argument, NULL, 'b' }, { "modules", required_argument, NULL, 'm' },
		{ "compress", required_argument, NULL, 'z' }, { "init", required_argument, NULL, OPT_INIT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "list", required_argument, NULL, OPT_LIST }, { "extract", required_argument, NULL, OPT_EXTRACT },
		{ "add", required_argument, NULL, OPT_ADD },
		{ "busybox", required_argument, NULL, OPT_BUSYBOX },
		{ "config", required_argument, NULL, 'c' }, { "from-list", required_argument, NULL, OPT_FROM_LIST },
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR }, { "cache-max", required_argument, NULL, OPT_CACHE_MAX },
	};
	/* Then the yes/no options, from their table: OPT_FLAG + their index. */
	struct option longopts[sizeof(valued) / sizeof(valued[0]) + NFLAGS + 1];
	size_t nlong = sizeof(valued) / sizeof(valued[0]);
	memcpy(longopts, valued, sizeof(valued));
	for (size_t i = 0; i < NFLAGS; i++)
		longopts[nlong++] = (struct option){ flags[i].name, no_argument, NULL, OPT_FLAG + (int)i };
	longopts[nlong] = (struct option){ NULL, 0, NULL, 0 };
	o->compression = COMPRESS_ZSTD;
	o->zstd_level = ZSTD_LEVEL_DEFAULT;
	opterr = 0; /* our own one-line messages */
	int c;
	while ((c = getopt_long(argc, argv, ":o:k:b:m:z:c:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'k': o->kver = optarg; break;
		case 'b': o->basedir = optarg; break;
		case 'm': add_modules(o, optarg); break;
		case 'c': o->config = optarg; break;
		case 'z':
			o->compression_set = true;
			if (parse_compression(optarg, NULL, &o->compression, &o->zstd_level) < 0)
				return -1;
			break;
		case OPT_CACHE_DIR: o->cache_dir = optarg; break;
		case OPT_CACHE_MAX:
			if (parse_size(optarg, NULL, &o->cache_max) < 0)
				return -1;
			break;
		case OPT_INIT: o->init = optarg; break;
		case OPT_ADD: add_add(o, optarg); break;
		case OPT_FROM_LIST: add_list(o, optarg); break;
		case OPT_BUSYBOX: o->busybox = optarg; break;
		case OPT_LIST: o->list = optarg; break;
		case OPT_EXTRACT: o->extract = optarg; break;
		case 'v': o->verbose = true; break;
		case 'h':
		case OPT_HELP: usage(stdout); return 1;
		case OPT_FLAG ... OPT_FLAG + (int)NFLAGS - 1: *flag(o, (size_t)(c - OPT_FLAG)) = true; break;
		case ':': errorf("option %s needs an argument (see --help)", argv[optind - 1]); return -1;
		default:
			if (optopt)
				errorf("unknown option -%c (see --help)", optopt);
			else
				errorf("unknown option %s (see --help)", argv[optind - 1]);
			return -1;
		}
	}
	if (o->list || o->extract) {
		if (o->list && o->extract) {
			errorf("--list and --extract do not go together (see --help)");
			return -1;
		}
		if (o->extract && optind < argc)
			o->extract_dir = argv[optind++];
		if (o->extract && !o->extract_dir) {
			errorf("--extract needs a directory: --extract IMAGE DIR (see --help)");
			return -1;
		}
		bool any_flag = false;
		for (size_t i = 0; i < NFLAGS; i++)
			any_flag |= flag(o, i) != &o->verbose && *flag(o, i);
		if (o->output || o->nmodules || o->kver || o->init || o->nadds || o->config || o->nlists || any_flag ||
		    o->cache_dir || o->cache_max) {
			errorf("--%s reads an image; it takes no build options (see --help)", o->list ? "list" : "extract");
			return -1;
		}
	}
	if (optind < argc) {
		errorf("unexpected argument '%s' (see --help)", argv[optind]);
		return -1;
	}
	if (o->list || o->extract)
		return 0;
	if (o->config && config_parse(o->config, apply_config, o) < 0)
		return -2;
	if (!o->basedir)
		o->basedir = "/";
	if (!o->cache_max)
		o->cache_max = FRAMECACHE_MAX_DEFAULT;
	if (o->no_modules && (o->nmodules || o->hostonly || o->live || o->net)) {
		errorf("--no-modules contradicts %s: leave one of them out",
		       o->nmodules ? "-m" : o->hostonly ? "--hostonly" : o->live ? "--live" : "--net");
		return -1;
	}
	if (o->shell && o->lockdown) {
		errorf("--lockdown and --shell contradict each other: a locked-down image never gives a shell");
		return -1;
	}
	if (!o->output || !*o->output) {
		errorf("no output file given (-o OUTPUT; see --help)");
		return -1;
	}
	return 0;
}

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static const char *human(uint64_t bytes, char *buf, size_t len)
{
	if (bytes < 1024 * 1024)
		snprintf(buf, len, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1024 * 1024));
	return buf;
}

/* Write the plan: the early archive, then the cpio archive compressed or as zstd frames, into a
 * temporary file renamed into place; then one summary line. */
static int write_image(const struct options *o, const struct image_plan *p, const char *kver,
		       const struct timespec *start)
{
	struct outfile out = { .fd = -1 };
	struct sink *esink = NULL, *sink = NULL;
	struct framecache *cache = NULL;
	int rc = -1;

	uint64_t size = cpio_size(&p->img);
	if (outfile_open(&out, o->output) < 0)
		goto done;
	/* The early archive goes first, uncompressed: the kernel's microcode loader reads it in place. */
	uint64_t early_bytes = 0;
	if (p->early.n) {
		if (!(esink = sink_open(COMPRESS_NONE, out.fd, o->output)) || cpio_write(&p->early, p->mtime, esink) < 0 ||
		    sink_finish(esink) < 0)
			goto done;
		early_bytes = sink_bytes_out(esink);
	}
	uint64_t cpio_bytes = 0;
	if (o->compression == COMPRESS_ZSTD) {
		/* Frames, written plain to the file; the expensive ones from the cache when it has them. */
		cache = o->no_cache ? framecache_disabled() : framecache_open(o->cache_dir, o->cache_max, o->verbose);
		if (!(sink = sink_open(COMPRESS_NONE, out.fd, o->output)) ||
		    zframes_write(&p->img, p->mtime, kver, o->zstd_level, cache, o->verbose, sink, &cpio_bytes) < 0 ||
		    sink_finish(sink) < 0)
			goto done;
	} else {
		if (!(sink = sink_open(o->compression, out.fd, o->output)) || cpio_write(&p->img, p->mtime, sink) < 0 ||
		    sink_finish(sink) < 0)
			goto done;
		cpio_bytes = sink_bytes_in(sink);
	}
	if (cpio_bytes != size) { /* cpio_size() and the writer disagree: a bug, not bad input */
		errorf("internal error: wrote %llu bytes of cpio, expected %llu", (unsigned long long)cpio_bytes,
		       (unsigned long long)size);
		goto done;
	}
	if (outfile_commit(&out) < 0)
		goto done;
	if (cache) /* only now: a build is never slowed or failed for the cache's sake before it is done */
		framecache_prune(cache);

	char a[32], b[32];
	uint64_t written = sink_bytes_out(sink);
	size_t nmods = p->mods.n, nfirmware = p->nfirmware;
	if (o->verbose)
		printf(PROG ": %zu entries, cpio %llu bytes, image %llu bytes (%.1f%%)\n", p->img.n,
		       (unsigned long long)size, (unsigned long long)written, 100.0 * (double)written / (double)size);
	/* Firmware and the early archive are mentioned only when there are some. */
	char extra[96] = "", c[32];
	if (nfirmware)
		snprintf(extra, sizeof(extra), ", %zu firmware file%s", nfirmware, nfirmware == 1 ? "" : "s");
	if (early_bytes)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), ", early microcode %s",
			 human(early_bytes, c, sizeof(c)));
	if (o->compression == COMPRESS_NONE)
		printf(PROG ": wrote %s: %zu module%s%s, %s uncompressed in %.0f ms\n", o->output, nmods,
		       nmods == 1 ? "" : "s", extra, human(size, a, sizeof(a)), elapsed_ms(start));
	else
		printf(PROG ": wrote %s: %zu module%s%s, %s → %s %s in %.0f ms\n", o->output, nmods,
		       nmods == 1 ? "" : "s", extra, human(size, a, sizeof(a)), human(written, b, sizeof(b)),
		       compression_name(o->compression), elapsed_ms(start));
	rc = 0;
done:
	sink_free(sink);
	sink_free(esink);
	framecache_free(cache);
	outfile_abort(&out);
	return rc;
}

int main(int argc, char **argv)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct options o = { 0 };
	int rc = parse_args(argc, argv, &o);
	if (rc != 0) {
		free_options(&o);
		return rc > 0 ? 0 : rc == -1 ? 2 : 1;
	}
	if (o.list || o.extract) {
		rc = o.list ? inspect_list(o.list, o.verbose) : inspect_extract(o.extract, o.extract_dir, o.verbose);
		free_options(&o);
		if (fflush(stdout) != 0 && rc == 0) {
			errorf("cannot write to standard output: %s", strerror(errno));
			rc = -1;
		}
		return rc == 0 ? 0 : 1;
	}
	struct utsname u;
	const char *kver = o.kver;
	if (!kver) {
		uname(&u);
		kver = u.release;
	}
	/* Every error is found while planning; writing fails only on the output itself. */
	struct image_plan plan;
	rc = plan_image(&o, kver, &plan);
	if (rc == 0)
		rc = write_image(&o, &plan, kver, &start);
	plan_free(&plan);
	free_options(&o);
	/* Summary lines go to stdout; make sure a full disk or closed pipe there is not silent. */
	if (fflush(stdout) != 0 && rc == 0) {
		errorf("cannot write to standard output: %s", strerror(errno));
		rc = -1;
	}
	return rc == 0 ? 0 : 1;
}
