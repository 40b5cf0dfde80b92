/* test-crypttab — crypttab_parse() (init/crypttab.c) on the lines of crypttab(5)'s examples (systemd's
 * and Debian's) and on broken ones, under the sanitizers (TAP). */
#include "crypttab.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static struct crypttab_entry v[CRYPTTAB_MAX];
static char warn[160];

static int parse(const char *text)
{
	memset(v, 0x5A, sizeof v); /* what is not written must not be read as written */
	return crypttab_parse(text, strlen(text), v, CRYPTTAB_MAX, warn, sizeof warn);
}

/* Exactly one entry, with these fields. */
static int one(const char *text, const char *name, const char *device, const char *key)
{
	return parse(text) == 1 && !strcmp(v[0].name, name) && !strcmp(v[0].device, device) && !strcmp(v[0].key, key);
}

static int flags(const struct crypttab_entry *e, int discard, int noauto, int readonly, int plain)
{
	return e->discard == discard && e->noauto == noauto && e->readonly == readonly && e->plain == plain;
}

int main(void)
{
	/* --- systemd's crypttab(5), EXAMPLES --- */
	CHECK(one("luks       UUID=2505567a-9e27-4efe-a4d5-15ad146c258b\n", "luks",
		  "UUID=2505567a-9e27-4efe-a4d5-15ad146c258b", "") &&
		      flags(&v[0], 0, 0, 0, 0) && v[0].tries == -1 && !v[0].unsupported[0] && !warn[0],
	      "systemd: NAME DEVICE alone: ask for the passphrase, no options, no warning");
	CHECK(one("swap       /dev/sda7       /dev/urandom       swap\n", "swap", "/dev/sda7", "/dev/urandom") &&
		      v[0].noauto && !warn[0],
	      "systemd: a swap volume with a random key is not opened at boot");
	CHECK(one("truecrypt  /dev/sda2       /etc/container_password  tcrypt\n", "truecrypt", "/dev/sda2",
		  "/etc/container_password") &&
		      !strcmp(v[0].unsupported, "tcrypt") && !warn[0],
	      "systemd: tcrypt is named as what earlyroot cannot open");
	CHECK(one("hidden     /mnt/tc_hidden  /dev/null    tcrypt-hidden,tcrypt-keyfile=/etc/keyfile\n", "hidden",
		  "/mnt/tc_hidden", "/dev/null") &&
		      !strcmp(v[0].unsupported, "tcrypt-hidden"),
	      "systemd: tcrypt-hidden, the first unsupported option kept");
	CHECK(one("external   /dev/sda3       keyfile:LABEL=keydev keyfile-timeout=10s,cipher=xchacha12\\,aes-adiantum-plain64\n",
		  "external", "/dev/sda3", "keyfile:LABEL=keydev") &&
		      !warn[0] && !v[0].unsupported[0],
	      "systemd: a key on another device kept as written; an escaped comma inside cipher= (no unknown option)");
	CHECK(one("mytpm2dev  /dev/sdd1       -       tpm2-device=auto\n", "mytpm2dev", "/dev/sdd1", "") &&
		      !strcmp(v[0].unsupported, "tpm2-device=auto"),
	      "systemd: '-' is no key; tpm2-device= is unsupported");
	CHECK(one("myfido2dev /dev/sdc1 - fido2-device=auto\n", "myfido2dev", "/dev/sdc1", "") &&
		      !strcmp(v[0].unsupported, "fido2-device=auto"),
	      "systemd: fido2-device= is unsupported");

	/* --- Debian's crypttab(5), EXAMPLES --- */
	CHECK(parse("# Encrypted swap device\n"
		    "cswap /dev/sda6 /dev/urandom cipher=aes-xts-plain64,size=256,hash=sha1,swap\n"
		    "\n"
		    "# Encrypted LUKS disk with interactive password, identified by UUID, discard enabled\n"
		    "cdisk0 UUID=12345678-9abc-def012345-6789abcdef01 none luks,discard\n"
		    "\n"
		    "# Encrypted TCRYPT disk with interactive password, discard enabled\n"
		    "tdisk0 /dev/sr0 none tcrypt,discard\n"
		    "\n"
		    "# Encrypted ext4 disk with interactive password, discard enabled\n"
		    "# - retry 5 times if the password is wrong\n"
		    "cdisk1 /dev/sda2 none luks,discard,tries=5\n"
		    "\n"
		    "# Encrypted disk with interactive password, discard enabled\n"
		    "# - use a nondefault keyscript\n"
		    "cdisk2 /dev/sda3 none luks,discard,keyscript=/path/to/keyscript\n") == 5 &&
		      !warn[0],
	      "Debian's examples: five entries, the comments and blank lines skipped, no warning");
	CHECK(!strcmp(v[0].name, "cswap") && v[0].noauto && !v[0].discard, "Debian: cswap is a swap volume");
	CHECK(!strcmp(v[1].name, "cdisk0") && !strcmp(v[1].device, "UUID=12345678-9abc-def012345-6789abcdef01") &&
		      !v[1].key[0] && flags(&v[1], 1, 0, 0, 0) && !v[1].unsupported[0],
	      "Debian: cdisk0 by UUID, 'none' is no key, luks,discard");
	CHECK(!strcmp(v[2].unsupported, "tcrypt") && v[2].discard, "Debian: tdisk0 is tcrypt (unsupported), discard");
	CHECK(v[3].tries == 5 && v[3].discard, "Debian: cdisk1 tries=5");
	CHECK(!strcmp(v[4].unsupported, "keyscript=/path/to/keyscript"), "Debian: cdisk2's keyscript= is unsupported");

	/* --- the options earlyroot applies --- */
	CHECK(one("root UUID=0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9 /etc/keys/root.key "
		  "discard,read-only,no-read-workqueue,no-write-workqueue,keyfile-offset=512,keyfile-size=64\n",
		  "root", "UUID=0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9", "/etc/keys/root.key") &&
		      flags(&v[0], 1, 0, 1, 0) && v[0].no_read_workqueue && v[0].no_write_workqueue &&
		      v[0].keyfile_offset == 512 && v[0].keyfile_size == 64 && !warn[0],
	      "every option earlyroot applies");
	CHECK(one("r /dev/vda2 none readonly,noauto\n", "r", "/dev/vda2", "") && flags(&v[0], 0, 1, 1, 0),
	      "readonly and noauto");
	CHECK(one("t /dev/vda3 /dev/urandom tmp=ext4\n", "t", "/dev/vda3", "/dev/urandom") && v[0].noauto && !warn[0],
	      "tmp=ext4 is not opened at boot");
	CHECK(one("p /dev/vda3 /etc/k plain,cipher=aes-cbc-essiv:sha256\n", "p", "/dev/vda3", "/etc/k") &&
		      v[0].plain && !strcmp(v[0].unsupported, "plain"),
	      "plain: marked, and named as unsupported");
	CHECK(one("h /dev/vda3 none header=/etc/hdr.img\n", "h", "/dev/vda3", "") &&
		      !strcmp(v[0].unsupported, "header=/etc/hdr.img"),
	      "a detached header is unsupported");
	CHECK(one("q \"/dev/disk/by-label/my disk\" '/etc/my key' \"discard\"\n", "q", "/dev/disk/by-label/my disk",
		  "/etc/my key") &&
		      v[0].discard,
	      "quoted fields hold spaces; quotes are dropped");
	CHECK(one("  \tindented\t/dev/sda1\t\t-\t\tluks  \r\n", "indented", "/dev/sda1", "") && !warn[0],
	      "tabs, leading blanks, trailing blanks and a CR (a file written on Windows)");
	CHECK(one("a /dev/sda1 none luks,,discard,\n", "a", "/dev/sda1", "") && v[0].discard && !warn[0],
	      "empty options are nothing");
	CHECK(one("last /dev/sdz9", "last", "/dev/sdz9", ""), "the last line without its newline");
	CHECK(one("a /dev/sda1 none luks,frobnicate,discard\n", "a", "/dev/sda1", "") && v[0].discard &&
		      !strcmp(warn, "line 1: unknown option ignored: 'frobnicate'"),
	      "an unknown option: ignored with a warning naming it (%s)", warn);

	/* --- broken lines: left out, the first problem named --- */
	CHECK(parse("onlyname\nok /dev/sda1\n") == 1 && !strcmp(v[0].name, "ok") &&
		      !strcmp(warn, "line 1: needs at least NAME and DEVICE; line ignored"),
	      "a lone name is left out (%s)", warn);
	CHECK(parse("a /dev/sda1 none luks extra\n") == 0 && strstr(warn, "line 1: more than 4 fields"),
	      "five fields: left out, as systemd does (%s)", warn);
	CHECK(parse("a \"/dev/sda1 none\n") == 0 && !strcmp(warn, "line 1: a quote is not closed; line ignored"),
	      "an unterminated quote (%s)", warn);
	CHECK(parse("# c\n\nbad/name /dev/sda1\n") == 0 &&
		      !strcmp(warn, "line 3: the name is no device-mapper name; line ignored: 'bad/name'"),
	      "a name with '/' (%s)", warn);
	CHECK(parse("a \"\" none\n") == 0 && strstr(warn, "needs at least NAME and DEVICE"), "an empty quoted device");
	CHECK(parse("..  /dev/sda1\n") == 0 && strstr(warn, "no device-mapper name"), "the name '..'");
	CHECK(parse("\"\" /dev/sda1\n") == 0 && strstr(warn, "no device-mapper name"), "an empty quoted name");
	CHECK(parse("a /dev/sda1 none tries=x\n") == 1 && v[0].tries == -1 && strstr(warn, "tries= wants a number"),
	      "tries=x: ignored with a warning (%s)", warn);
	CHECK(parse("a /dev/sda1 none tries=1001,keyfile-size=99999999999,keyfile-offset=-1\n") == 1 &&
		      v[0].tries == -1 && !v[0].keyfile_size && !v[0].keyfile_offset && strstr(warn, "tries="),
	      "out-of-range numbers are not taken");
	{
		static const char nul[] = "a /dev/sda1\0 none\nb /dev/sdb1\n";
		CHECK(crypttab_parse(nul, sizeof nul - 1, v, CRYPTTAB_MAX, warn, sizeof warn) == 1 &&
			      !strcmp(v[0].name, "b") && !strcmp(warn, "line 1: a NUL byte; line ignored"),
		      "a line with a NUL byte is left out, the next one read");
	}
	{
		char big[1024];
		memset(big, 'n', sizeof big);
		memcpy(big + 128, " /dev/sda1\n", 11);
		big[139] = 0;
		CHECK(parse(big) == 0 && strstr(warn, "too long"), "a 128-byte name does not fit: left out");
		big[127] = ' ';
		memcpy(big + 128, "/dev/sda1\n", 10); /* now a 127-byte name */
		big[138] = 0;
		CHECK(parse(big) == 1 && strlen(v[0].name) == 127, "a 127-byte name fits");
		memset(big, 'k', sizeof big);
		memcpy(big, "a /dev/sda1 ", 12);
		big[sizeof big - 1] = 0;
		CHECK(parse(big) == 0 && strstr(warn, "too long"), "a 1 KiB key path: left out");
	}
	{
		char many[64 * 20] = "";
		for (int i = 0; i < 20; i++)
			sprintf(many + strlen(many), "v%d /dev/vd%c\n", i, 'a' + i);
		CHECK(parse(many) == CRYPTTAB_MAX && !strcmp(v[CRYPTTAB_MAX - 1].name, "v15") &&
			      !strcmp(warn, "line 17: too many entries; the rest are ignored"),
		      "more than %d entries: the first %d kept (%s)", CRYPTTAB_MAX, CRYPTTAB_MAX, warn);
		CHECK(crypttab_parse(many, strlen(many), v, 2, NULL, 0) == 2, "MAX is the caller's; no WARN buffer is fine");
	}
	CHECK(parse("a /dev/sda1 none frob\nb /dev/sdb1 none luks extra\n") == 1 &&
		      !strcmp(warn, "line 1: unknown option ignored: 'frob'"),
	      "only the first warning is kept");
	CHECK(parse("") == 0 && !warn[0] && parse("\n\n# only comments\n   \n") == 0 && !warn[0],
	      "an empty file and a file of comments: nothing, no warning");
	return tap_finish();
}
