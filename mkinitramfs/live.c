/* live.c — the modules of `--live` (live.h). */
#include "live.h"

#include <stdbool.h>

/* required: a kernel without it (as a module or built in) cannot boot the media earlyroot-mklive
 * writes, so its absence is an error. The rest are left out, in one line, when the kernel has no such
 * module: USB host controllers and disk controllers differ between architectures and configurations. */
static const struct {
	const char *name;
	bool at_boot, required;
} mods[] = {
	/* The medium's layers: the ISO9660 filesystem, the loop device the image file is mounted through,
	 * the image's filesystem, the writable overlay. Filesystems are asked for by mount(2), which the
	 * init's modalias autoload never sees, hence loaded at every boot. */
	{ "isofs", true, true },
	{ "loop", true, true },
	{ "squashfs", true, true },
	{ "erofs", true, false },
	{ "overlay", true, true },
	/* A stick reformatted as vfat (persistence, or the ISO copied as a file for iso-scan): vfat
	 * mounts with codepage 437 and iocharset iso8859-1 unless told otherwise; isofs' Joliet and the
	 * rest use utf8. The kernel asks for these by request_module(), which no modprobe answers here. */
	{ "vfat", true, false },
	{ "nls_cp437", true, false },
	{ "nls_iso8859_1", true, false },
	{ "nls_utf8", true, false },
	/* Devices, loaded when one shows up: CD drives (sr_mod, which brings cdrom) behind AHCI (q35) or
	 * PIIX IDE (pc); USB sticks (usb-storage, or uas for UAS sticks) behind any host controller, as
	 * SCSI disks (sd_mod); QEMU's virtio disks and SCSI. */
	{ "sr_mod", false, false },
	{ "sd_mod", false, false },
	{ "ahci", false, false },
	{ "ata_piix", false, false },
	{ "usb_storage", false, false },
	{ "uas", false, false },
	{ "xhci_pci", false, false },
	{ "ehci_pci", false, false },
	{ "ohci_pci", false, false },
	{ "uhci_hcd", false, false },
	{ "virtio_pci", false, false },
	{ "virtio_blk", false, false },
	{ "virtio_scsi", false, false },
};

size_t live_nmodules(void)
{
	return sizeof(mods) / sizeof(mods[0]);
}

void live_modules(struct modwant *want, size_t *n, bool at_boot)
{
	for (size_t i = 0; i < live_nmodules(); i++)
		if (mods[i].at_boot == at_boot)
			want[(*n)++] = (struct modwant){ .name = mods[i].name,
							 .reason = at_boot ? "--live" : "--live, on demand",
							 .optional = !mods[i].required };
}
