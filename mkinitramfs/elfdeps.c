/* elfdeps.c — resolve shared libraries like ld.so, from the ELF headers (elf.h), without running
 * anything (ldd executes the program's interpreter; a foreign or hostile binary must not run).
 *
 * What is supported: ELF of either class and byte order (lib/elfhdr.c reads the file and program
 * headers; a candidate library must have the requester's class, byte order and e_machine, as ld.so
 * requires). For each DT_NEEDED name, in ld.so's order: a name with a '/' is a path; else DT_RPATH of
 * the object and of the program (only when the object has no DT_RUNPATH), DT_RUNPATH of the object,
 * /etc/ld.so.cache (the "glibc-ld.so.cache1.1" format, alone or after the old one; glibc-hwcaps
 * variants are skipped, so the baseline library goes in), then /lib/x86_64-linux-gnu,
 * /usr/lib/x86_64-linux-gnu, /lib64, /lib, /usr/lib. $ORIGIN is substituted; $LIB and $PLATFORM are
 * not (such entries are skipped). LD_LIBRARY_PATH and LD_PRELOAD are ignored on purpose: the image
 * must not depend on the build shell's environment.
 *
 * In the image a library goes at the path where it was found (its contents: the file the path leads
 * to), which is a directory ld.so searches by default, a RUNPATH directory, or the path named; the
 * interpreter goes at exactly its PT_INTERP path. There is no ld.so.cache in the image. */
#include "elfdeps.h"
#include "elfhdr.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define LDCACHE "/etc/ld.so.cache"
static const char *const default_dirs[] = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/lib",
					    "/usr/lib" };

struct elfdeps {
	bool verbose;
	bool cache_read;
	char **cache_key, **cache_path;
	size_t ncache;
	char **done; /* image paths already added (and scanned) */
	size_t ndone;
};

struct elfinfo {
	unsigned char w, msb; /* class (word size) and byte order, as struct elf has them */
	unsigned machine;
	char *interp;
	char **needed;
	size_t nneeded;
	char *runpath, *rpath;
};

static void elfinfo_free(struct elfinfo *e)
{
	free(e->interp);
	strv_free(e->needed, e->nneeded);
	free(e->runpath);
	free(e->rpath);
	memset(e, 0, sizeof(*e));
}

struct elfdeps *elfdeps_new(bool verbose)
{
	struct elfdeps *d = xmalloc(sizeof(*d));
	memset(d, 0, sizeof(*d));
	d->verbose = verbose;
	return d;
}

void elfdeps_free(struct elfdeps *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ncache; i++) {
		free(d->cache_key[i]);
		free(d->cache_path[i]);
	}
	free(d->cache_key);
	free(d->cache_path);
	strv_free(d->done, d->ndone);
	free(d);
}

/* Read /etc/ld.so.cache once. An absent or unknown cache is not an error: ld.so then uses the default
 * directories too. */
static void read_cache(struct elfdeps *d)
{
	d->cache_read = true;
	struct buf b = { 0 };
	int fd = open(LDCACHE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	close(fd);
	if (read_file(LDCACHE, &b) < 0)
		return;
	static const char newmagic[] = "glibc-ld.so.cache1.1", oldmagic[] = "ld.so-1.7.0";
	size_t start = 0;
	if (b.len >= 16 && memcmp(b.data, oldmagic, sizeof(oldmagic) - 1) == 0) {
		uint32_t n;
		memcpy(&n, b.data + 12, 4);
		start = (16 + (size_t)n * 12 + 7) & ~(size_t)7;
	}
	if (start > b.len || b.len - start < 48 || memcmp(b.data + start, newmagic, sizeof(newmagic) - 1) != 0) {
		buf_free(&b);
		return;
	}
	uint32_t nlibs;
	memcpy(&nlibs, b.data + start + 20, 4);
	const char *base = b.data + start;
	size_t avail = b.len - start;
	if ((uint64_t)nlibs * 24 > avail - 48)
		nlibs = 0;
	for (uint32_t i = 0; i < nlibs; i++) {
		uint32_t key, value;
		memcpy(&key, base + 48 + (size_t)i * 24 + 4, 4);
		memcpy(&value, base + 48 + (size_t)i * 24 + 8, 4);
		if (key >= avail || value >= avail || !memchr(base + key, 0, avail - key) ||
		    !memchr(base + value, 0, avail - value))
			continue;
		if (strstr(base + value, "/glibc-hwcaps/"))
			continue;
		d->cache_key = xrealloc(d->cache_key, (d->ncache + 1) * sizeof(char *));
		d->cache_path = xrealloc(d->cache_path, (d->ncache + 1) * sizeof(char *));
		d->cache_key[d->ncache] = xstrdup(base + key);
		d->cache_path[d->ncache++] = xstrdup(base + value);
	}
	buf_free(&b);
}

/* Translate a virtual address to a file offset through the PT_LOAD segments. */
static int vaddr_to_off(const struct elf_phdr *ph, size_t n, uint64_t va, uint64_t *off)
{
	for (size_t i = 0; i < n; i++)
		if (ph[i].type == PT_LOAD && va >= ph[i].vaddr && va - ph[i].vaddr < ph[i].filesz) {
			*off = ph[i].offset + (va - ph[i].vaddr);
			return 0;
		}
	return -1;
}

/* Entry I of a dynamic section at DYN: field 0 is d_tag, 1 is d_un, a word each in either class. */
static uint64_t dyn_field(const struct elf *e, const unsigned char *dyn, uint64_t i, unsigned f)
{
	return elf_get(e, dyn + (2 * i + f) * e->w, e->w);
}

/* 1: not an ELF file, 0: parsed, -1: error reported. */
static int elf_parse(const char *path, struct elfinfo *info)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errorf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		return 1;
	}
	size_t len = (size_t)st.st_size;
	const unsigned char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		errorf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	struct elf_mem mem = { m, len };
	struct elf e;
	struct elf_phdr *ph = NULL;
	char interp[PATH_MAX];
	int rc = elf_open(&e, elf_read_mem, &mem);
	if (rc == 0) {
		rc = 1;
		goto out;
	}
	if (rc < 0)
		goto corrupt;
	info->w = e.w;
	info->msb = e.msb;
	info->machine = e.machine;
	ph = xmalloc((e.phnum ? e.phnum : 1) * sizeof(*ph));
	uint64_t dyn = 0, ndyn = 0;
	for (size_t i = 0; i < e.phnum; i++) {
		if (elf_phdr(&e, (unsigned)i, &ph[i]) < 0 || ph[i].offset > len || ph[i].filesz > len - ph[i].offset)
			goto corrupt;
		if (ph[i].type == PT_DYNAMIC) {
			dyn = ph[i].offset;
			ndyn = ph[i].filesz / (2 * e.w);
		}
	}
	rc = elf_interp(&e, interp, sizeof(interp));
	if (rc < 0)
		goto corrupt;
	if (rc > 0)
		info->interp = xstrdup(interp);
	uint64_t strtab = 0, strsz = 0;
	bool have_strtab = false;
	for (size_t i = 0; i < ndyn; i++) {
		uint64_t t = dyn_field(&e, m + dyn, i, 0);
		if (t == DT_NULL)
			break;
		if (t == DT_STRTAB) {
			have_strtab = vaddr_to_off(ph, e.phnum, dyn_field(&e, m + dyn, i, 1), &strtab) == 0;
			if (!have_strtab)
				goto corrupt;
		} else if (t == DT_STRSZ) {
			strsz = dyn_field(&e, m + dyn, i, 1);
		}
	}
	if (have_strtab && (strtab > len || strsz > len - strtab))
		goto corrupt;
	for (size_t i = 0; have_strtab && i < ndyn; i++) {
		uint64_t t = dyn_field(&e, m + dyn, i, 0);
		if (t == DT_NULL)
			break;
		if (t != DT_NEEDED && t != DT_RUNPATH && t != DT_RPATH)
			continue;
		uint64_t o = dyn_field(&e, m + dyn, i, 1);
		if (o >= strsz || !memchr(m + strtab + o, 0, strsz - o))
			goto corrupt;
		const char *s = (const char *)m + strtab + o;
		if (t == DT_NEEDED) {
			info->needed = xrealloc(info->needed, (info->nneeded + 1) * sizeof(char *));
			info->needed[info->nneeded++] = xstrdup(s);
		} else if (t == DT_RUNPATH) {
			free(info->runpath);
			info->runpath = xstrdup(s);
		} else {
			free(info->rpath);
			info->rpath = xstrdup(s);
		}
	}
	rc = 0;
	goto out;
corrupt:
	errorf("cannot add %s: corrupt ELF headers", path);
	rc = -1;
out:
	free(ph);
	munmap((void *)m, len);
	return rc;
}

/* A usable candidate: a readable ELF file of the requester's class, byte order and machine. */
static bool matches(const char *path, const struct elfinfo *want)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, R_OK) < 0)
		return false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct elf e;
	bool ok = elf_open(&e, elf_read_fd, &fd) > 0 && e.w == want->w && e.msb == want->msb &&
		  e.machine == want->machine;
	close(fd);
	return ok;
}

/* Look for name in a ':'-separated list of directories; $ORIGIN is origin. */
static char *search_dirs(const char *list, const char *name, const char *origin, const struct elfinfo *want)
{
	if (!list)
		return NULL;
	char *copy = xstrdup(list), *save = NULL, *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		struct buf b = { 0 };
		bool skip = false;
		for (const char *p = dir; *p;) {
			if (strncmp(p, "$ORIGIN", 7) == 0 || strncmp(p, "${ORIGIN}", 9) == 0) {
				buf_printf(&b, "%s", origin);
				p += p[1] == '{' ? 9 : 7;
			} else if (*p == '$') {
				skip = true; /* $LIB, $PLATFORM: not supported */
				break;
			} else {
				buf_append(&b, p++, 1);
			}
		}
		buf_append(&b, "", 1);
		if (!skip) {
			char *cand = xasprintf("%s/%s", b.data, name);
			if (matches(cand, want))
				found = cand;
			else
				free(cand);
		}
		buf_free(&b);
	}
	free(copy);
	return found;
}

static char *resolve(struct elfdeps *d, const char *name, const struct elfinfo *obj, const char *origin,
		     const struct elfinfo *exe)
{
	if (strchr(name, '/'))
		return matches(name, obj) ? xstrdup(name) : NULL;
	char *p = NULL;
	if (!obj->runpath) {
		p = search_dirs(obj->rpath, name, origin, obj);
		if (!p && exe && exe != obj && !exe->runpath)
			p = search_dirs(exe->rpath, name, origin, obj);
	}
	if (!p)
		p = search_dirs(obj->runpath, name, origin, obj);
	if (!p) {
		if (!d->cache_read)
			read_cache(d);
		for (size_t i = 0; i < d->ncache && !p; i++)
			if (strcmp(d->cache_key[i], name) == 0 && matches(d->cache_path[i], obj))
				p = xstrdup(d->cache_path[i]);
	}
	for (size_t i = 0; !p && i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++) {
		char *cand = xasprintf("%s/%s", default_dirs[i], name);
		if (matches(cand, obj))
			p = cand;
		else
			free(cand);
	}
	return p;
}

/* "/a/bin/../lib/x" -> "/a/lib/x": the image has no "..", and every directory on the way is a real
 * directory there (parents are created as directories), so this is the same file for ld.so. */
static char *lexical(const char *path)
{
	char *out = xmalloc(strlen(path) + 2), *o = out;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > out && *--o != '/')
				;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			*o++ = '/';
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

static bool done(struct elfdeps *d, const char *path)
{
	for (size_t i = 0; i < d->ndone; i++)
		if (strcmp(d->done[i], path) == 0)
			return true;
	d->done = xrealloc(d->done, (d->ndone + 1) * sizeof(char *));
	d->done[d->ndone++] = xstrdup(path);
	return false;
}

static char *dir_of(const char *path)
{
	char *c = xstrdup(path);
	char *r = xstrdup(dirname(c));
	free(c);
	return r;
}

/* Add the libraries obj needs, recursively; obj is the host path of an object already in the image. */
static int add_needed(struct elfdeps *d, struct image *img, const char *objpath, const struct elfinfo *obj,
		      const char *origin, const struct elfinfo *exe)
{
	for (size_t i = 0; i < obj->nneeded; i++) {
		const char *name = obj->needed[i];
		char *found = resolve(d, name, obj, origin, exe);
		if (!found) {
			errorf("cannot add %s: it needs %s, found neither in its RPATH/RUNPATH, " LDCACHE
			       " nor /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib64, /lib, /usr/lib",
			       objpath, name);
			return -1;
		}
		if (done(d, found)) {
			free(found);
			continue;
		}
		if (d->verbose)
			printf(PROG ": + %s (needed by %s)\n", found, objpath);
		struct elfinfo li = { 0 };
		int rc = elf_parse(found, &li);
		char *lorigin = dir_of(found);
		char *dest = lexical(found);
		if (rc >= 0)
			rc = image_add_file(img, dest, found, 0);
		free(dest);
		if (rc >= 0)
			rc = add_needed(d, img, found, &li, lorigin, exe);
		free(lorigin);
		elfinfo_free(&li);
		free(found);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int elfdeps_add(struct elfdeps *d, struct image *img, const char *src)
{
	struct elfinfo e = { 0 };
	int rc = elf_parse(src, &e);
	if (rc != 0) {
		elfinfo_free(&e);
		return rc < 0 ? -1 : 0;
	}
	if (e.interp && !done(d, e.interp)) {
		if (d->verbose)
			printf(PROG ": + %s (interpreter of %s)\n", e.interp, src);
		char *dest = lexical(e.interp);
		rc = image_add_file(img, dest, e.interp, 0755);
		free(dest);
		if (rc < 0) {
			elfinfo_free(&e);
			return -1;
		}
	}
	char real[PATH_MAX];
	/* $ORIGIN of a program is the directory of its real path (ld.so reads /proc/self/exe). */
	char *origin = dir_of(realpath(src, real) ? real : src);
	rc = add_needed(d, img, src, &e, origin, &e);
	free(origin);
	elfinfo_free(&e);
	return rc;
}
