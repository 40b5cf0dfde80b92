/* cmdline.h — what the init takes from the kernel command line. */
#ifndef EARLYROOT_CMDLINE_H
#define EARLYROOT_CMDLINE_H

#include <stddef.h>

#define CMDLINE_MAX_WARNINGS 8

enum rootwait { ROOTWAIT_NO, ROOTWAIT_FOREVER, ROOTWAIT_SECONDS };

struct cmdline {
	char *buf;              /* the parsed copy; every string below points into it */
	const char *root;       /* root=, NULL if absent */
	const char *rootfstype; /* rootfstype=, comma-separated list, or NULL */
	const char *rootflags;  /* rootflags=, passed to mount(2) as data, or NULL */
	const char *init;       /* init=, or NULL */
	int readonly;           /* ro (the default, as for the kernel) or rw: the last one wins */
	enum rootwait rootwait; /* rootwait, rootwait=N */
	int rootwait_s;
	int rootdelay_s;        /* rootdelay=N, -1 if absent */
	int timeout_s;          /* rd.timeout=N, -1 if absent */
	int quiet, debug;       /* quiet, rd.debug */
	int panic_set, panic_s; /* panic=N: the kernel reboots N s after a panic (0: never, <0: at once) */
	int shell;              /* rd.shell=0 forbids the rescue shell; 1 (default) allows it */
	const char *brk;        /* rd.break=STAGE (rd.break alone: "switch"), or NULL */
	const char *rd_root;    /* rd.root=: the real root when root= named the early one (pivot mode) */
	const char *rd_init;    /* rd.init=: the real init, when init= started earlyroot on an early root */
	const char *rd_switch;  /* rd.switch=move|pivot, or NULL: chosen from what / is */
	const char *rd_modules; /* rd.modules=a,b: load these modules of the image whatever the devices */
	const char *module_blacklist; /* module_blacklist=a,b (the kernel's): never load these */
	const char *volatile_mode; /* systemd.volatile= (alone: "yes"), or NULL: volatile_root.c */
	/* A live medium (init/live.c): root=live:SPEC (root then holds SPEC), rd.live.image, boot=live. */
	int live;               /* boot from a live image */
	int live_boot;          /* boot=live: Debian live-boot's layout; without root= the medium is searched */
	const char *live_dir;   /* rd.live.dir=, NULL: LiveOS */
	const char *live_squashimg;  /* rd.live.squashimg=, NULL: squashfs.img */
	const char *live_media_path; /* live-media-path=, NULL: /live */
	const char *live_isofile;    /* iso-scan/filename= or findiso=: an ISO file on the medium */
	const char *live_overlay;    /* rd.live.overlay=SPEC[:PATH]: persistence */
	int live_ram, live_check, live_overlay_readonly; /* rd.live.ram (toram), rd.live.check, rd.live.overlay.readonly */
	int live_minmem_mib;         /* rd.minmem=, -1 if absent */
	int live_overlay_size_mib;   /* rd.live.overlay.size=, -1 if absent */
	/* The network (init/net.c): the kernel's and dracut's words, kept as given; net.c parses them. */
	const char *ip;          /* ip=, the last one (as the kernel reads it) */
	const char *bootif;      /* BOOTIF=01-MAC: the interface that booted (PXE) */
	const char *nfsroot;     /* nfsroot=[SERVER:]/PATH[,OPTIONS], for root=/dev/nfs */
	const char *live_sha256; /* rd.live.sha256=HEX: a fetched live image must have this SHA-256 */
	int neednet;             /* rd.neednet=1: bring the network up whatever root= is */
	int dhcp_timeout_s;      /* rd.net.timeout.dhcp=, -1 if absent */
	/* Stacked storage: rd.luks*, rd.lvm*, rd.md*, rd.auto, roothash=, systemd.verity*,
	 * rd.systemd.verity, resume=, resume_offset=, noresume, rd.fsck, rd.skipfsck, kept in their order;
	 * storage_conf_parse() (storage_conf.h) gives them meaning. */
	const char **storage_keys;  /* the keys; storage_values[i] is the value, NULL if none */
	const char **storage_values;
	int nstorage;
	const char **modparams; /* MODULE.PARAM=VALUE words, for the modules the init loads */
	int nmodparams;
	int nwarnings;          /* values that were ignored, with the reason */
	char warnings[CMDLINE_MAX_WARNINGS][160];
};

/* Parse TEXT (the contents of /proc/cmdline) the way the kernel splits it: whitespace-separated
 * words, double quotes group (`init="/bin/x y"`), parsing stops at "--" (the rest is for init).
 * Returns 0, or -1 when out of memory. Bad values are ignored and explained in warnings[]. */
int cmdline_parse(const char *text, struct cmdline *cl);
void cmdline_free(struct cmdline *cl);

/* The parameters given on the command line for module NAME ("virtio_blk"; '-' and '_' are the same),
 * as "param=value param2=value", appended to OUT (size SIZE). Returns how many were added. */
int cmdline_module_params(const struct cmdline *cl, const char *name, char *out, size_t size);

/* Seconds from a command-line value: 0..86400*7; -1 for anything else. */
int cmdline_seconds(const char *value);

#endif
