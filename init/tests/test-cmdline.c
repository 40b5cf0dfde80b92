/* test-cmdline.c — the kernel command-line parser, case by case (runs under ASan/UBSan). */
#include "../cmdline.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static struct cmdline cl;

static void parse(const char *text)
{
	cmdline_free(&cl);
	if (cmdline_parse(text, &cl) < 0)
		abort();
}

static int streq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static int warned(const char *needle)
{
	for (int i = 0; i < cl.nwarnings; i++)
		if (strstr(cl.warnings[i], needle))
			return 1;
	return 0;
}

int main(void)
{
	parse("");
	CHECK(!cl.root && cl.readonly == 1 && cl.rootdelay_s == -1 && cl.timeout_s == -1 &&
		      cl.rootwait == ROOTWAIT_NO && !cl.nwarnings,
	      "empty command line: no root, read-only by default, no waits, no warnings");

	parse("BOOT_IMAGE=/vmlinuz root=/dev/vda1 rootfstype=ext4 rootflags=data=journal rw quiet");
	CHECK(streq(cl.root, "/dev/vda1") && streq(cl.rootfstype, "ext4") &&
		      streq(cl.rootflags, "data=journal") && cl.readonly == 0 && cl.quiet,
	      "a typical line: root, rootfstype, rootflags with '=' in the value, rw, quiet");

	parse("root=254:0");
	CHECK(streq(cl.root, "254:0"), "root=MAJ:MIN is kept as given");

	parse("ro rw");
	CHECK(cl.readonly == 0, "'ro rw': the last one wins (rw)");
	parse("rw ro");
	CHECK(cl.readonly == 1, "'rw ro': the last one wins (ro)");

	parse("root=/dev/sda root=/dev/vda");
	CHECK(streq(cl.root, "/dev/vda"), "duplicated root=: the last one wins");

	parse("root=/dev/vda root=");
	CHECK(cl.root == NULL && warned("root"), "empty root= cancels the earlier one and is explained");

	parse("root=/dev/vda init=/sbin/probe -- a --b c rw root=/dev/sdz");
	CHECK(streq(cl.init, "/sbin/probe") && streq(cl.root, "/dev/vda") && cl.readonly == 1,
	      "parsing stops at '--': what follows is for the real init, not for us");

	parse("init=\"/bin/my init\" root=/dev/vda");
	CHECK(streq(cl.init, "/bin/my init") && streq(cl.root, "/dev/vda"),
	      "a quoted value keeps its spaces and loses its quotes");
	parse("\"init=/bin/x y\" quiet");
	CHECK(streq(cl.init, "/bin/x y") && cl.quiet, "quotes around the whole word work too");
	parse("init=\"/bin/unbalanced root=/dev/vda");
	CHECK(streq(cl.init, "/bin/unbalanced root=/dev/vda") && cl.root == NULL,
	      "an unbalanced quote runs to the end of the line (as in the kernel)");

	parse("rootwait");
	CHECK(cl.rootwait == ROOTWAIT_FOREVER, "rootwait: wait forever");
	parse("rootwait=12");
	CHECK(cl.rootwait == ROOTWAIT_SECONDS && cl.rootwait_s == 12, "rootwait=12: wait 12 s");
	parse("rootdelay=3 rd.timeout=7");
	CHECK(cl.rootdelay_s == 3 && cl.timeout_s == 7, "rootdelay= and rd.timeout= in seconds");

	parse("rootdelay=-1");
	CHECK(cl.rootdelay_s == -1 && warned("rootdelay=-1"), "rootdelay=-1 is ignored with a warning");
	parse("rootdelay=x");
	CHECK(cl.rootdelay_s == -1 && warned("rootdelay=x"), "rootdelay=x is ignored with a warning");
	parse("rootdelay=99999999999");
	CHECK(cl.rootdelay_s == -1 && warned("not a number of seconds"),
	      "rootdelay=99999999999 (overflow) is ignored with a warning");
	parse("rootdelay=");
	CHECK(cl.rootdelay_s == -1 && warned("rootdelay="), "rootdelay= with no value is ignored");
	CHECK(cmdline_seconds("604800") == 604800 && cmdline_seconds("604801") == -1 &&
		      cmdline_seconds("0") == 0 && cmdline_seconds("1x") == -1 && cmdline_seconds("") == -1,
	      "seconds: 0 to one week, digits only");

	parse("rd.debug rootfstype=xfs,ext4");
	CHECK(cl.debug && streq(cl.rootfstype, "xfs,ext4"), "rd.debug; rootfstype list kept whole");

	parse("rootx=/dev/vda roots root");
	CHECK(cl.root == NULL, "words that only start like root= are not root=");

	/* 4 KiB of junk: no crash, no overrun, nothing taken for a root. */
	char junk[4097];
	for (int i = 0; i < 4096; i++)
		junk[i] = (char)("=\" \t\nab-x"[i % 10]);
	junk[4096] = 0;
	parse(junk);
	CHECK(cl.root == NULL && cl.init == NULL, "4 KiB of junk parses to nothing");

	/* Many bad values: warnings are bounded, the parse still completes. */
	parse("rootdelay=a rootdelay=b rootdelay=c rootdelay=d rootdelay=e rootdelay=f rootdelay=g "
	      "rootdelay=h rootdelay=i rootdelay=j root=/dev/vda");
	CHECK(cl.nwarnings == CMDLINE_MAX_WARNINGS && streq(cl.root, "/dev/vda"),
	      "warnings are capped at %d and parsing goes on", CMDLINE_MAX_WARNINGS);

	parse("panic=-1 rd.shell=0 rd.break rd.switch=pivot rd.root=/dev/vdb");
	CHECK(cl.panic_set && cl.panic_s == -1 && cl.shell == 0 && streq(cl.brk, "switch") &&
		      streq(cl.rd_switch, "pivot") && streq(cl.rd_root, "/dev/vdb"),
	      "panic=-1, rd.shell=0, rd.break (alone: before the switch), rd.switch, rd.root");
	parse("init=/init rd.init=/sbin/real");
	CHECK(streq(cl.init, "/init") && streq(cl.rd_init, "/sbin/real"), "rd.init= is kept apart from init=");
	parse("rd.break=mount rd.shell");
	CHECK(streq(cl.brk, "mount") && cl.shell == 1 && !cl.panic_set, "rd.break=STAGE; rd.shell alone allows");
	parse("rd.break=mount rd.break=cmdline");
	CHECK(streq(cl.brk, "mount") && warned("rd.break=cmdline"),
	      "rd.break= of no stage it can stop before is ignored with a warning (the last good one stays)");
	parse("rd.break=mountx rd.break=moun");
	CHECK(!cl.brk && warned("rd.break=mountx") && warned("rd.break=moun"), "rd.break= matches a stage whole");
	parse("panic=soon rd.switch=teleport");
	CHECK(!cl.panic_set && !cl.rd_switch && warned("panic=soon") && warned("rd.switch=teleport"),
	      "a bad panic= or rd.switch= is ignored with a warning");

	parse("rd.modules=virtio_blk,ext4 module_blacklist=floppy module_blacklist=floppy,pcspkr rd.modules");
	CHECK(cl.rd_modules == NULL && streq(cl.module_blacklist, "floppy,pcspkr") && cl.nmodparams == 0 &&
		      warned("rd.modules"),
	      "rd.modules= and module_blacklist=: the last one wins (an empty one cancels, with a warning)");
	parse("rd.modules=virtio_blk,ext4");
	CHECK(streq(cl.rd_modules, "virtio_blk,ext4"), "rd.modules=a,b kept as given");

	char params[64] = "";
	parse("virtio_blk.queue_depth=7 virtio-blk.x=1 ext4.y=2 rd.timeout=3 root=/dev/vda");
	CHECK(cmdline_module_params(&cl, "virtio_blk", params, sizeof params) == 2 &&
		      !strcmp(params, "queue_depth=7 x=1"),
	      "MODULE.PARAM=VALUE: collected per module, '-' and '_' alike (got '%s')", params);
	strcpy(params, "opt=1");
	CHECK(cmdline_module_params(&cl, "ext4", params, sizeof params) == 1 && !strcmp(params, "opt=1 y=2"),
	      "command-line parameters follow the image's own (got '%s')", params);
	params[0] = 0;
	CHECK(cmdline_module_params(&cl, "virtio", params, sizeof params) == 0 && !params[0],
	      "a module whose name is a prefix of another gets nothing of it");
	char tiny[8] = "";
	CHECK(cmdline_module_params(&cl, "virtio_blk", tiny, sizeof tiny) == 0 && !tiny[0],
	      "a parameter that does not fit is left out, never cut");

	/* Live media: dracut's words and Debian live-boot's. */
	parse("root=live:CDLABEL=EARLYROOT_LIVE rd.live.dir=/images rd.live.squashimg=rootfs.erofs rd.live.ram "
	      "rd.live.check rd.live.overlay=LABEL=persist:/p/upper rd.live.overlay.size=512 rd.live.overlay.readonly "
	      "rd.minmem=128 iso-scan/filename=/iso/live.iso");
	CHECK(cl.live && streq(cl.root, "CDLABEL=EARLYROOT_LIVE") && streq(cl.live_dir, "/images") &&
		      streq(cl.live_squashimg, "rootfs.erofs") && cl.live_ram && cl.live_check &&
		      streq(cl.live_overlay, "LABEL=persist:/p/upper") && cl.live_overlay_size_mib == 512 &&
		      cl.live_overlay_readonly && cl.live_minmem_mib == 128 && streq(cl.live_isofile, "/iso/live.iso") &&
		      !cl.nwarnings,
	      "root=live:SPEC is a live boot from SPEC, with every rd.live.* option");
	parse("root=LABEL=x rd.live.image");
	CHECK(cl.live && streq(cl.root, "LABEL=x") && !cl.live_boot, "rd.live.image makes a plain root= a live medium");
	parse("root=LABEL=x");
	CHECK(!cl.live && cl.live_minmem_mib == -1 && cl.live_overlay_size_mib == -1, "no live words: no live boot");
	parse("boot=live toram findiso=/a.iso live-media-path=/casper");
	CHECK(cl.live && cl.live_boot && cl.live_ram && streq(cl.live_isofile, "/a.iso") &&
		      streq(cl.live_media_path, "/casper") && !cl.root,
	      "Debian live-boot's boot=live, toram, findiso=, live-media-path=");
	parse("rd.live.ram=0 rd.live.check=1 boot=casper");
	CHECK(!cl.live_ram && cl.live_check && !cl.live && !cl.live_boot, "=0 turns an option off; boot=other is not live");
	parse("rd.live.dir=../../etc rd.live.squashimg=a/../../b iso-scan/filename=/x/.. rd.live.dir=ok");
	CHECK(streq(cl.live_dir, "ok") && !cl.live_squashimg && !cl.live_isofile && warned("rd.live.dir=../../etc") &&
		      warned("rd.live.squashimg=a/../../b") && warned("iso-scan/filename=/x/.."),
	      "a path on the medium with \"..\" is refused with a warning");
	parse("rd.minmem=lots rd.live.overlay.size=0 rd.live.overlay.size=99999999999 toram=filesystem.squashfs");
	CHECK(cl.live_minmem_mib == -1 && cl.live_overlay_size_mib == -1 && !cl.live_ram && warned("rd.minmem=lots") &&
		      warned("rd.live.overlay.size=0") && warned("rd.live.overlay.size=99999999999") &&
		      warned("toram=filesystem.squashfs"),
	      "bad sizes and toram=MODULE are ignored with a warning each");
	parse("root=live: rd.live.overlay=");
	CHECK(cl.live && streq(cl.root, "") && !cl.live_overlay && warned("rd.live.overlay"),
	      "root=live: with nothing after it is live with an empty medium (the wait says so)");

	/* The network's words, kept as given for net.c. */
	parse("ip=dhcp ip=eth1:dhcp BOOTIF=01-52-54-00-12-34-57 nfsroot=10.0.2.2:/srv,vers=3 rd.neednet "
	      "rd.net.timeout.dhcp=20 rd.live.sha256=" "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef");
	CHECK(streq(cl.ip, "eth1:dhcp") && streq(cl.bootif, "01-52-54-00-12-34-57") &&
		      streq(cl.nfsroot, "10.0.2.2:/srv,vers=3") && cl.neednet && cl.dhcp_timeout_s == 20 &&
		      cl.live_sha256 && strlen(cl.live_sha256) == 64 && !cl.nwarnings,
	      "ip= (the last one), BOOTIF=, nfsroot=, rd.neednet, rd.net.timeout.dhcp=, rd.live.sha256=");
	parse("rd.live.sha256=abc rd.live.sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg "
	      "rd.net.timeout.dhcp=soon");
	CHECK(!cl.live_sha256 && cl.dhcp_timeout_s == -1 && warned("rd.live.sha256=abc") &&
		      warned("rd.net.timeout.dhcp=soon") && cl.nwarnings == 3,
	      "a short or non-hex rd.live.sha256= and a bad timeout are ignored with a warning each");
	parse("ip=dhcp.x=1");
	CHECK(streq(cl.ip, "dhcp.x=1") && cl.nmodparams == 0, "ip= is never a module parameter");

	cmdline_free(&cl);
	return tap_finish();
}
