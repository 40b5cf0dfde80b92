/* storage.c — the tools, configuration and modules of --luks, --lvm, --md, --verity, --fsck
 * (storage.h). The tools are the build machine's own (Debian's cryptsetup, lvm, mdadm, e2fsck):
 * they come with the libraries they were linked against (elfdeps.c). */
#include "storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* LUKS1 and LUKS2 as cryptsetup makes them: aes-xts-plain64 (the default) and aes-cbc-essiv:sha256
 * (old LUKS1 volumes), sha256 for the key digests. dm-crypt asks the crypto API for "xts(aes)", which
 * calls request_module("crypto-xts(aes)"): nothing answers that in the image, so the init loads these
 * by name (modules.luks) before the first unlock. Built-in ones (Debian: aes, sha256, cbc, hmac) and
 * those this architecture lacks (aesni_intel, sha256_ssse3 off x86; aes_ce_blk, sha2_ce off arm64)
 * are left out. af_alg's skcipher and hash: cryptsetup checks that the kernel has the cipher through
 * them before it activates. */
static const struct modset_entry luks_mods[] = {
	{ "dm_mod", false, MOD_REQUIRED },
	{ "dm_crypt", false, MOD_REQUIRED },
	{ "xts", false, MOD_OPTIONAL },
	{ "ecb", false, MOD_OPTIONAL },
	{ "cbc", false, MOD_OPTIONAL },
	{ "essiv", false, MOD_OPTIONAL },
	{ "aes_generic", false, MOD_OPTIONAL },
	{ "aesni_intel", false, MOD_ARCH },
	{ "aes_ce_blk", false, MOD_ARCH },
	{ "sha256_generic", false, MOD_OPTIONAL },
	{ "sha256_ssse3", false, MOD_ARCH },
	{ "sha2_ce", false, MOD_ARCH },
	{ "sha512_generic", false, MOD_OPTIONAL },
	{ "af_alg", false, MOD_OPTIONAL },
	{ "algif_skcipher", false, MOD_OPTIONAL },
	{ "algif_hash", false, MOD_OPTIONAL },
};

/* The linear target (plain LVs) is part of dm_mod; striped too. Snapshots, mirrors (lvcreate
 * --type mirror; raid1 LVs are dm_raid) and thin LVs need their targets, which lvm activates by name
 * without a modprobe to load them. */
static const struct modset_entry lvm_mods[] = {
	{ "dm_mod", false, MOD_REQUIRED },
	{ "dm_snapshot", false, MOD_OPTIONAL },
	{ "dm_mirror", false, MOD_OPTIONAL },
	{ "dm_thin_pool", false, MOD_OPTIONAL },
	{ "dm_raid", false, MOD_OPTIONAL },
};

/* md_mod and the personalities mdadm starts arrays with: the kernel asks for "md-level-1" when an
 * array is run, which no modprobe answers here. raid456 brings async_* and raid6_pq as dependencies. */
static const struct modset_entry md_mods[] = {
	{ "md_mod", false, MOD_REQUIRED },
	{ "linear", false, MOD_OPTIONAL },
	{ "raid0", false, MOD_OPTIONAL },
	{ "raid1", false, MOD_OPTIONAL },
	{ "raid10", false, MOD_OPTIONAL },
	{ "raid456", false, MOD_OPTIONAL },
};

/* The init sets up dm-verity itself through the device-mapper ioctls: dm_verity and its hash. */
static const struct modset_entry verity_mods[] = {
	{ "dm_mod", false, MOD_REQUIRED },
	{ "dm_verity", false, MOD_REQUIRED },
	{ "sha256_generic", false, MOD_OPTIONAL },
	{ "sha256_ssse3", false, MOD_ARCH },
	{ "sha2_ce", false, MOD_ARCH },
};

static const struct modset luks_set = MODSET("--luks", "etc/earlyroot/modules.luks", luks_mods),
			  lvm_set = MODSET("--lvm", "etc/earlyroot/modules.lvm", lvm_mods),
			  md_set = MODSET("--md", "etc/earlyroot/modules.md", md_mods),
			  verity_set = MODSET("--verity", "etc/earlyroot/modules.verity", verity_mods);

size_t storage_modsets(const struct storage_layers *l, const struct modset **sets)
{
	size_t n = 0;
	if (l->luks)
		sets[n++] = &luks_set;
	if (l->lvm)
		sets[n++] = &lvm_set;
	if (l->md)
		sets[n++] = &md_set;
	if (l->verity)
		sets[n++] = &verity_set;
	return n;
}

/* A tool of the build machine, at /sbin/NAME in the image, with links to it. */
static const struct tool {
	int layer; /* 0 luks, 1 lvm, 2 md, 3 fsck, 4 thin */
	const char *name, *package;
	bool optional; /* added when installed, silently left out otherwise */
	const char *links[4];
	const char *dir; /* in the image; NULL: sbin */
} tools[] = {
	{ 0, "cryptsetup", "cryptsetup-bin", false, { NULL }, NULL },
	{ 1, "lvm", "lvm2", false, { NULL }, NULL },
	{ 2, "mdadm", "mdadm", false, { NULL }, NULL },
	/* fsck.xfs and fsck.btrfs are no-ops by design (the filesystems repair themselves at mount):
	 * without them the init skips the check, which is the same. */
	{ 3, "e2fsck", "e2fsprogs", false, { "fsck.ext2", "fsck.ext3", "fsck.ext4", NULL }, NULL },
	{ 3, "fsck.fat", "dosfstools", true, { "fsck.vfat", "fsck.msdos", NULL }, NULL },
	/* lvm refuses to activate a thin pool whose check it cannot run; Debian's lvm runs it from
	 * this path (lvm config global/thin_check_executable). A multi-call binary: it goes in under
	 * the name it is called by. */
	{ 4, "thin_check", "thin-provisioning-tools", false, { NULL }, "usr/sbin" },
};

static char *find_tool(const char *name)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *p = xasprintf("%s/%s", dirs[i], name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			return p;
		free(p);
	}
	return NULL;
}

/* LVM without udev (docs: lvm.conf(5)): no waiting for udev to make /dev/VG/LV (the init makes the
 * nodes, lvm's own fallback), no device list or hints from udev or files the image does not have, no
 * dmeventd monitoring nor lvmpolld to talk to, no metadata backups on a read-only-in-spirit image.
 * Every key is one Debian 12's lvm 2.03.16 accepts (`lvm config --validate`; the test checks it). */
static const char lvm_conf[] = "# written by mkinitramfs: LVM in an initramfs without udev\n"
			       "devices {\n"
			       "\tobtain_device_list_from_udev = 0\n"
			       "\texternal_device_info_source = \"none\"\n"
			       "\tuse_devicesfile = 0\n"
			       "\thints = \"none\"\n"
			       "\twrite_cache_state = 0\n"
			       "}\n"
			       "activation {\n"
			       "\tudev_sync = 0\n"
			       "\tudev_rules = 0\n"
			       "\tverify_udev_operations = 0\n"
			       "\tmonitoring = 0\n"
			       "}\n"
			       "global {\n"
			       "\tuse_lvmpolld = 0\n"
			       "\tevent_activation = 0\n"
			       "}\n"
			       "backup {\n"
			       "\tbackup = 0\n"
			       "\tarchive = 0\n"
			       "}\n";

int storage_add_files(const struct storage_layers *l, const char *md_arrays, struct image *img,
		      struct elfdeps *deps, bool verbose)
{
	const bool on[] = { l->luks, l->lvm, l->md, l->fsck, l->thin };
	static const char *const option[] = { "--luks", "--lvm", "--md", "--fsck", "--hostonly's thin LV" };
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		const struct tool *t = &tools[i];
		if (!on[t->layer])
			continue;
		char *src = find_tool(t->name);
		if (!src) {
			if (t->optional)
				continue;
			errorf("%s needs %s, which is not installed here (Debian: apt-get install %s)",
			       option[t->layer], t->name, t->package);
			return -1;
		}
		char *dest = xasprintf("%s/%s", t->dir ? t->dir : "sbin", t->name);
		if (image_find(img, dest)) { /* an --add of the user's own wins */
			free(dest);
			free(src);
			continue;
		}
		int rc = image_add_file(img, dest, src, 0755);
		if (rc == 0)
			rc = elfdeps_add(deps, img, src);
		if (rc == 0 && verbose)
			printf(PROG ": %s: /%s from %s\n", option[t->layer], dest, src);
		for (size_t j = 0; rc == 0 && t->links[j]; j++) {
			char *link = xasprintf("%s/%s", t->dir ? t->dir : "sbin", t->links[j]);
			image_add_symlink(img, link, t->name);
			free(link);
		}
		free(dest);
		free(src);
		if (rc < 0)
			return -1;
	}
	if (l->lvm && !image_find(img, "etc/lvm/lvm.conf"))
		image_add_data(img, "etc/lvm/lvm.conf", 0644, xstrdup(lvm_conf), strlen(lvm_conf));
	if (l->md && !image_find(img, "etc/mdadm/mdadm.conf")) {
		/* Arrays made on another host (a disk moved, an installer's array) assemble too: no
		 * homehost check, every metadata format. */
		char *conf = xasprintf("# written by mkinitramfs\nHOMEHOST <ignore>\nAUTO +all\n%s",
				       md_arrays ? md_arrays : "");
		image_add_data(img, "etc/mdadm/mdadm.conf", 0644, conf, strlen(conf));
	}
	return 0;
}
