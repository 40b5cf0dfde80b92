/* live.c — the modules of `--live` (live.h). */
#include "live.h"

/* required: a kernel without it (as a module or built in) cannot boot the media earlyroot-mklive
 * writes, so its absence is an error. The rest are left out, in one line, when the kernel has no such
 * module: USB host controllers and disk controllers differ between architectures and configurations. */
static const struct modset_entry mods[] = {
	/* The medium's layers: the ISO9660 filesystem, the loop device the image file is mounted through,
	 * the image's filesystem, the writable overlay. Filesystems are asked for by mount(2), which the
	 * init's modalias autoload never sees, hence loaded at every boot. */
	{ "isofs", true, MOD_REQUIRED },
	{ "loop", true, MOD_REQUIRED },
	{ "squashfs", true, MOD_REQUIRED },
	{ "erofs", true, MOD_OPTIONAL },
	{ "overlay", true, MOD_REQUIRED },
	/* A stick reformatted as vfat (persistence, or the ISO copied as a file for iso-scan): vfat
	 * mounts with codepage 437 and iocharset iso8859-1 unless told otherwise; isofs' Joliet and the
	 * rest use utf8. The kernel asks for these by request_module(), which no modprobe answers here. */
	{ "vfat", true, MOD_OPTIONAL },
	{ "nls_cp437", true, MOD_OPTIONAL },
	{ "nls_iso8859_1", true, MOD_OPTIONAL },
	{ "nls_utf8", true, MOD_OPTIONAL },
	/* Devices, loaded when one shows up: CD drives (sr_mod, which brings cdrom) behind AHCI (q35) or
	 * PIIX IDE (pc); USB sticks (usb-storage, or uas for UAS sticks) behind any host controller, as
	 * SCSI disks (sd_mod); QEMU's virtio disks and SCSI. */
	{ "sr_mod", false, MOD_OPTIONAL },
	{ "sd_mod", false, MOD_OPTIONAL },
	{ "ahci", false, MOD_OPTIONAL },
	{ "ata_piix", false, MOD_OPTIONAL },
	{ "usb_storage", false, MOD_OPTIONAL },
	{ "uas", false, MOD_OPTIONAL },
	{ "xhci_pci", false, MOD_OPTIONAL },
	{ "ehci_pci", false, MOD_OPTIONAL },
	{ "ohci_pci", false, MOD_OPTIONAL },
	{ "uhci_hcd", false, MOD_OPTIONAL },
	{ "virtio_pci", false, MOD_OPTIONAL },
	{ "virtio_blk", false, MOD_OPTIONAL },
	{ "virtio_scsi", false, MOD_OPTIONAL },
};

const struct modset live_modset = MODSET("--live", NULL, mods);
