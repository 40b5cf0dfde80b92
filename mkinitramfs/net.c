/* net.c — the modules of `--net` (net.h). */
#include "net.h"

/* required: without it the init cannot do DHCP at all, so its absence is an error. The rest are left
 * out, in one line, when the kernel lacks them: a kernel without NFS can still boot root=live:http://,
 * and NIC drivers differ between architectures. */
static const struct modset_entry mods[] = {
	/* The init's DHCP client talks through an AF_PACKET socket (replies arrive before the interface
	 * has an address); socket(2) asks for "net-pf-17", which no modprobe answers. Built into
	 * Debian's kernels: then nothing is added. */
	{ "af_packet", true, MOD_REQUIRED },
	/* The NFS client. mount(2) asks for "fs-nfs4" and the nfs module for "nfsv4"/"nfsv3" by name, and
	 * nothing answers request_module() here: so the init loads them by name, from the module table,
	 * just before an NFS root's mount (not at every boot: an HTTP boot would pay ~3 s under TCG for
	 * them). Their closure (sunrpc, lockd, grace, netfs, fscache, dns_resolver, nfs_acl) comes with
	 * them. Not auth_rpcgss or rpcsec_gss_krb5: sec=krb5 needs rpc.gssd and a keytab, which the image
	 * does not have. */
	{ "nfs", false, MOD_OPTIONAL },
	{ "nfsv4", false, MOD_OPTIONAL },
	{ "nfsv3", false, MOD_OPTIONAL },
	/* NICs, loaded when one shows up: QEMU's (virtio_net behind virtio_pci, e1000, e1000e, rtl8139
	 * as 8139cp/8139too, pcnet32, ne2k_pci, vmxnet3 for VMware) and the common real ones (Realtek
	 * r8169, Intel igb/ixgbe, Broadcom tg3/bnx2). */
	{ "virtio_pci", false, MOD_OPTIONAL },
	{ "virtio_net", false, MOD_OPTIONAL },
	{ "e1000", false, MOD_OPTIONAL },
	{ "e1000e", false, MOD_OPTIONAL },
	{ "r8169", false, MOD_OPTIONAL },
	{ "igb", false, MOD_OPTIONAL },
	{ "ixgbe", false, MOD_OPTIONAL },
	{ "tg3", false, MOD_OPTIONAL },
	{ "bnx2", false, MOD_OPTIONAL },
	{ "8139cp", false, MOD_OPTIONAL },
	{ "8139too", false, MOD_OPTIONAL },
	{ "pcnet32", false, MOD_OPTIONAL },
	{ "ne2k_pci", false, MOD_OPTIONAL },
	{ "vmxnet3", false, MOD_OPTIONAL },
};

const struct modset net_modset = MODSET("--net", NULL, mods);
