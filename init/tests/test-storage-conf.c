/* test-storage-conf.c — the stacked-storage words of the command line, through cmdline_parse() as the
 * init reads them (runs under ASan/UBSan). */
#include "../cmdline.h"
#include "../storage_conf.h"
#include "tap.h"

#include <string.h>

/* The conf's strings point into the command line's copy, as in the init: it lives until the next parse. */
static struct cmdline cl;

static int parse(const char *text, struct storage_conf *c, char *err, size_t errsize)
{
	cmdline_free(&cl);
	if (cmdline_parse(text, &cl) < 0)
		return -2;
	return storage_conf_parse(cl.storage_keys, cl.storage_values, cl.nstorage, c, err, errsize);
}

int main(void)
{
	struct storage_conf c;
	char err[256];
	const struct luks_want *w;

	CHECK(parse("root=/dev/vda quiet", &c, err, sizeof err) == 0 && c.nluks == 0 && !c.luks_off &&
		      c.md_degraded_timeout_s == -1 && c.resume_offset == -1 && !c.resume && !c.roothash[0],
	      "no storage words: nothing asked, defaults unset");

	CHECK(parse("rd.luks.uuid=luks-3F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0 rd.luks.name=0123456789abcdef0123456789abcdef=cryptroot "
		    "rd.luks.key=/etc/keyfile rd.luks.options=0123456789abcdef0123456789abcdef=discard",
		    &c, err, sizeof err) == 0,
	      "LUKS words parse (%s)", err);
	CHECK(c.nluks == 3, "two volumes and one every-volume entry (got %d)", c.nluks);
	w = storage_conf_luks(&c, "3f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
	CHECK(w && !w->name[0], "rd.luks.uuid=luks-UPPER is found by its lowercase UUID, no name");
	w = storage_conf_luks(&c, "01234567-89ab-cdef-0123-456789abcdef");
	CHECK(w && !strcmp(w->name, "cryptroot") && w->discard, "rd.luks.name gives the name; options scoped by UUID");
	CHECK(!c.luks[c.nluks - 1].uuid[0] && !strcmp(c.luks[c.nluks - 1].key, "/etc/keyfile") && !c.luks[c.nluks - 1].keydev[0],
	      "a bare rd.luks.key applies to every volume, and that entry comes last");
	CHECK(!storage_conf_luks(&c, "ffffffff-ffff-ffff-ffff-ffffffffffff"), "an unnamed UUID is not found");

	CHECK(parse("rd.luks.key=01234567-89ab-cdef-0123-456789abcdef=/keys/root.key:LABEL=keys", &c, err, sizeof err) == 0 &&
		      (w = storage_conf_luks(&c, "01234567-89ab-cdef-0123-456789abcdef")) && !strcmp(w->key, "/keys/root.key") &&
		      !strcmp(w->keydev, "LABEL=keys"),
	      "rd.luks.key=UUID=PATH:KEYDEV (systemd's form)");
	CHECK(parse("rd.luks.key=/k:/dev/sdb1", &c, err, sizeof err) == 0 && !strcmp(c.luks[0].keydev, "/dev/sdb1"),
	      "a key device by path");
	CHECK(parse("rd.luks.uuid=1234", &c, err, sizeof err) == -1 && strstr(err, "rd.luks.uuid=1234") &&
		      strstr(err, "32 hex digits"),
	      "a short LUKS UUID stops the boot, naming it (%s)", err);
	CHECK(parse("rd.luks.key=keyfile", &c, err, sizeof err) == -1 && strstr(err, "absolute path"),
	      "a relative key path is refused (%s)", err);
	CHECK(parse("rd.luks.name=0123456789abcdef0123456789abcdef", &c, err, sizeof err) == -1 && strstr(err, "UUID=NAME"),
	      "rd.luks.name without a name says how to write it");
	CHECK(parse("rd.luks=0 rd.luks.crypttab=0", &c, err, sizeof err) == 0 && c.luks_off && c.luks_crypttab_off,
	      "rd.luks=0 and rd.luks.crypttab=0");

	CHECK(parse("rd.lvm.vg=vg0 rd.lvm.vg=vg1 rd.lvm.lv=vg0/root", &c, err, sizeof err) == 0 && c.nlvm_vg == 2 &&
		      !strcmp(c.lvm_vg[1], "vg1") && c.nlvm_lv == 1 && !strcmp(c.lvm_lv[0], "vg0/root"),
	      "LVM: volume groups and logical volumes accumulate");
	CHECK(parse("rd.lvm.lv=root", &c, err, sizeof err) == -1 && strstr(err, "VG/LV"), "rd.lvm.lv without a VG (%s)", err);
	CHECK(parse("rd.lvm=0", &c, err, sizeof err) == 0 && c.lvm_off, "rd.lvm=0");

	CHECK(parse("rd.md.uuid=3aaa1234:bbbb5678:cccc9abc:ddddef01 rd.md.uuid=3AAA1234-BBBB-5678-CCCC-9ABCDDDDEF02 "
		    "rd.md.degraded.timeout=7",
		    &c, err, sizeof err) == 0 && c.nmd_uuid == 2 && c.md_degraded_timeout_s == 7,
	      "MD: mdadm's and blkid's UUID spellings");
	CHECK(storage_conf_md_wanted(&c, "3aaa1234bbbb5678cccc9abcddddef01") &&
		      storage_conf_md_wanted(&c, "3aaa1234bbbb5678cccc9abcddddef02") &&
		      !storage_conf_md_wanted(&c, "00001234bbbb5678cccc9abcddddef02"),
	      "rd.md.uuid= names the arrays wanted, and only those");
	CHECK(parse("rd.md.uuid=failme", &c, err, sizeof err) == -1 && strstr(err, "rd.md.uuid=failme"),
	      "rd.md.uuid=failme (dracut's negative test) is one clear line (%s)", err);
	CHECK(parse("rd.md=0", &c, err, sizeof err) == 0 && !storage_conf_md_wanted(&c, "3aaa1234bbbb5678cccc9abcddddef01"),
	      "rd.md=0 wants none");
	CHECK(parse("rd.md.degraded.timeout=soon", &c, err, sizeof err) == 0 && c.md_degraded_timeout_s == -1 &&
		      c.nwarnings == 1 && strstr(c.warnings[0], "soon"),
	      "a bad degraded timeout is a warning, the default stays");

	CHECK(parse("roothash=ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789 "
		    "systemd.verity_root_data=/dev/vda systemd.verity_root_hash=PARTUUID=x systemd.verity_root_options=panic-on-corruption",
		    &c, err, sizeof err) == 0 && !strcmp(c.roothash, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789") &&
		      !strcmp(c.verity_data, "/dev/vda") && !strcmp(c.verity_hash, "PARTUUID=x") &&
		      !strcmp(c.verity_options, "panic-on-corruption"),
	      "dm-verity: systemd's names (the hash lowercased)");
	CHECK(parse("roothash=abc", &c, err, sizeof err) == -1 && strstr(err, "even number"), "an odd root hash (%s)", err);
	CHECK(parse("roothash=zz", &c, err, sizeof err) == -1 && strstr(err, "'z'"), "a root hash that is not hex (%s)", err);
	CHECK(parse("rd.systemd.verity=0", &c, err, sizeof err) == 0 && c.verity_off, "rd.systemd.verity=0");

	CHECK(parse("resume=UUID=1234 resume_offset=34816 rd.fsck=0", &c, err, sizeof err) == 0 &&
		      !strcmp(c.resume, "UUID=1234") && c.resume_offset == 34816 && c.fsck_off && !c.noresume,
	      "resume=, resume_offset=, rd.fsck=0");
	CHECK(parse("noresume rd.skipfsck resume_offset=-1", &c, err, sizeof err) == 0 && c.noresume && c.fsck_off &&
		      c.resume_offset == -1 && c.nwarnings == 1,
	      "noresume, rd.skipfsck; a negative offset is a warning");
	CHECK(parse("rd.luks.bogus=1", &c, err, sizeof err) == 0 && c.nwarnings == 1 && strstr(c.warnings[0], "rd.luks.bogus"),
	      "an unknown rd.luks word is a warning naming it");
	cmdline_free(&cl);
	return tap_finish();
}
