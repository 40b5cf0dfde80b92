/* test-fsck.c — fsck_verdict(): fsck(8)'s exit code read bit by bit. */
#include "fsck.h"
#include "tap.h"

#include <string.h>

int main(void)
{
	char why[160];

	CHECK(fsck_verdict(0, why, sizeof why) == FSCK_CLEAN && !*why, "0: clean, nothing to name");
	CHECK(fsck_verdict(1, why, sizeof why) == FSCK_CORRECTED && !*why, "1: corrected, go on");
	CHECK(fsck_verdict(2, why, sizeof why) == FSCK_REBOOT && !*why, "2: reboot");
	CHECK(fsck_verdict(3, why, sizeof why) == FSCK_REBOOT, "3 = 1|2: reboot (not taken for success as '<= 2' would not)");
	CHECK(fsck_verdict(4, why, sizeof why) == FSCK_FAILED && !strcmp(why, "errors left uncorrected"),
	      "4: failed, 'errors left uncorrected' (%s)", why);
	CHECK(fsck_verdict(5, why, sizeof why) == FSCK_FAILED, "5 = 1|4: failed, whatever was corrected");
	CHECK(fsck_verdict(6, why, sizeof why) == FSCK_FAILED, "6 = 2|4: failed: a reboot would not repair what is left");
	CHECK(fsck_verdict(8, why, sizeof why) == FSCK_FAILED && !strcmp(why, "operational error"), "8: %s", why);
	CHECK(fsck_verdict(12, why, sizeof why) == FSCK_FAILED &&
		      !strcmp(why, "errors left uncorrected, operational error"), "12: both bits, in order (%s)", why);
	CHECK(fsck_verdict(16, why, sizeof why) == FSCK_FAILED && !strcmp(why, "usage or syntax error"), "16: %s", why);
	CHECK(fsck_verdict(32, why, sizeof why) == FSCK_FAILED && !strcmp(why, "cancelled by the user"), "32: %s", why);
	CHECK(fsck_verdict(64, why, sizeof why) == FSCK_FAILED && !strcmp(why, "unknown (64)"),
	      "64 (undefined): a failure, named as unknown");
	CHECK(fsck_verdict(128, why, sizeof why) == FSCK_FAILED && !strcmp(why, "shared-library error"), "128: %s", why);
	CHECK(fsck_verdict(255, why, sizeof why) == FSCK_FAILED &&
		      !strcmp(why, "errors left uncorrected, operational error, usage or syntax error, cancelled by "
				   "the user, unknown (64), shared-library error"),
	      "255: every failure bit named (%s)", why);
	char small[12];
	CHECK(fsck_verdict(255, small, sizeof small) == FSCK_FAILED && strlen(small) == sizeof small - 1,
	      "a short buffer: cut, terminated, still a failure (%s)", small);
	CHECK(fsck_verdict(0, NULL, 0) == FSCK_CLEAN && fsck_verdict(4, NULL, 0) == FSCK_FAILED,
	      "no buffer at all: the verdict alone");
	CHECK(fsck_convention("vfat", 2) == 16 && fsck_convention("msdos", 2) == 16,
	      "fsck.fat's 2 (usage error, nothing checked) is fsck(8)'s 16, not a reboot");
	CHECK(fsck_convention("vfat", 1) == 1 && fsck_convention("vfat", 0) == 0, "fsck.fat's 0 and 1 as they are");
	CHECK(fsck_convention("ext4", 2) == 2 && fsck_convention("xfs", 4) == 4, "other checkers as they are");
	return tap_finish();
}
