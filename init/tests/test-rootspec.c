/* test-rootspec.c — every spelling of root= the init accepts, and the ones it refuses. */
#include "../rootspec.h"
#include "tap.h"

#include <string.h>

static struct rootspec rs;
static char err[320];

static int parse(const char *root)
{
	err[0] = 0;
	return rootspec_parse(root, &rs, err, sizeof err);
}

int main(void)
{
	CHECK(parse("/dev/vda1") == 0 && rs.kind == ROOT_PATH && !strcmp(rs.value, "/dev/vda1"), "/dev/NAME");
	CHECK(parse("254:16") == 0 && rs.kind == ROOT_DEVNUM && rs.maj == 254 && rs.min == 16, "MAJ:MIN");
	CHECK(parse("259:0") == 0 && rs.maj == 259 && rs.min == 0, "MAJ:MIN of an NVMe disk");
	CHECK(parse("0x801") == 0 && rs.kind == ROOT_DEVNUM && rs.maj == 8 && rs.min == 1, "hex 0x801 = 8:1");
	CHECK(parse("801") == 0 && rs.kind == ROOT_DEVNUM && rs.maj == 8 && rs.min == 1,
	      "bare hex 801 = 8:1 (the kernel's reading)");
	CHECK(parse("fe00") == 0 && rs.maj == 254 && rs.min == 0, "bare hex fe00 = 254:0");
	CHECK(parse("UUID=0B5E1A3C-9F2D-4C8A-8E1B-AAAAAAAAAAAA") == 0 && rs.kind == ROOT_UUID &&
		      !strcmp(rs.value, "0b5e1a3c-9f2d-4c8a-8e1b-aaaaaaaaaaaa"),
	      "UUID= is case-insensitive (kept in lower case)");
	CHECK(rootspec_matches(&rs, "0b5e1a3c-9f2d-4c8a-8e1b-aaaaaaaaaaaa") &&
		      rootspec_matches(&rs, "0B5E1A3C-9F2D-4C8A-8E1B-AAAAAAAAAAAA") && !rootspec_matches(&rs, "") &&
		      !rootspec_matches(&rs, NULL),
	      "a UUID matches in either case, never an empty or missing one");
	CHECK(parse("LABEL=My Root") == 0 && rs.kind == ROOT_LABEL && !strcmp(rs.value, "My Root") &&
		      !rootspec_matches(&rs, "my root"),
	      "LABEL= is exact (labels are case-sensitive)");
	CHECK(parse("PARTUUID=1c33d3f7-01") == 0 && rs.kind == ROOT_PARTUUID && rs.partnroff == 0,
	      "PARTUUID= of an MBR partition");
	CHECK(parse("PARTUUID=ABCDEF01-0000-4000-8000-000000000001/PARTNROFF=2") == 0 && rs.partnroff == 2 &&
		      !strcmp(rs.value, "abcdef01-0000-4000-8000-000000000001"),
	      "PARTUUID=X/PARTNROFF=2");
	CHECK(parse("PARTUUID=x/PARTNROFF=") < 0 && strstr(err, "PARTNROFF"), "PARTNROFF= without a number: refused");
	CHECK(parse("PARTLABEL=rootfs") == 0 && rs.kind == ROOT_PARTLABEL, "PARTLABEL=");
	CHECK(parse("CDLABEL=EARLYROOT_LIVE") == 0 && rs.kind == ROOT_LABEL && !strcmp(rs.value, "EARLYROOT_LIVE"),
	      "CDLABEL= (dracut's, for a disc) is a LABEL=");
	CHECK(rootspec_parse_key("rd.live.overlay", "NOPE=x", &rs, err, sizeof err) < 0 &&
		      strstr(err, "rd.live.overlay=NOPE=x is not understood") && !strstr(err, "root="),
	      "another parameter's device is named by that parameter in the error (got: %s)", err);
	CHECK(parse("/dev/disk/by-uuid/0B5E1A3C-9F2D") == 0 && rs.kind == ROOT_UUID &&
		      !strcmp(rs.value, "0b5e1a3c-9f2d"),
	      "/dev/disk/by-uuid/X is UUID=X (no udev makes those links here)");
	CHECK(parse("/dev/disk/by-label/a\\x2fb") == 0 && rs.kind == ROOT_LABEL && !strcmp(rs.value, "a/b"),
	      "/dev/disk/by-label/ with udev's \\x2f escape");
	CHECK(parse("/dev/disk/by-partuuid/abc") == 0 && rs.kind == ROOT_PARTUUID, "/dev/disk/by-partuuid/");
	CHECK(parse("/dev/disk/by-partlabel/p") == 0 && rs.kind == ROOT_PARTLABEL, "/dev/disk/by-partlabel/");

	CHECK(parse("UUID=") < 0 && strstr(err, "empty value"), "UUID= with no value: refused, said so");
	CHECK(parse("garbage") < 0 && strstr(err, "root=garbage is not understood") && strstr(err, "UUID="),
	      "root=garbage: refused, listing the accepted forms");
	CHECK(parse("") < 0 && strstr(err, "no root="), "empty root: says root= is missing");
	CHECK(parse(NULL) < 0 && strstr(err, "no root="), "no root at all: says so");
	CHECK(parse("/dev/") < 0, "/dev/ alone is not a device");
	CHECK(parse("-1:5") < 0 && parse("8:1x") < 0, "MAJ:MIN with junk is refused");
	CHECK(parse("123456789") < 0, "hex longer than a dev_t is refused");
	char longlabel[600] = "LABEL=";
	memset(longlabel + 6, 'a', 500);
	longlabel[506] = 0;
	CHECK(parse(longlabel) < 0 && strstr(err, "too long"), "an overlong LABEL= is refused, not truncated");
	return tap_finish();
}
