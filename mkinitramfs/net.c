/* net.c — the modules of `--net` (net.h). */
#include "net.h"

#include <stdbool.h>

/* required: without it the init cannot do DHCP at all, so its absence is an error. The rest are left
 * out, in one line, when the kernel lacks them: a kernel without NFS can still boot root=live:http://,
 * and NIC drivers differ between architectures. */
static const struct {
	const char *name;
	bool at_boot, required;
} mods[] = {
	/* The init's DHCP client talks through an AF_PACKET socket (replies arrive before the interface
	 * has an address); socket(2) asks for "net-pf-17", which no modprobe answers. Built into
	 * Debian's kernels: then nothing is added. */
	{ "af_packet", true, true },
	/* The NFS client. mount(2) asks for "fs-nfs4" and the nfs module for "nfsv4"/"nfsv3" by name, and
	 * nothing answers request_module() here: so the init loads them by name, from the module table,
	 * just before an NFS root's mount (not at every boot: an HTTP boot would pay ~3 s under TCG for
	 * them). Their closure (sunrpc, lockd, grace, netfs, fscache, dns_resolver, nfs_acl) comes with
	 * them. Not auth_rpcgss or rpcsec_gss_krb5: sec=krb5 needs rpc.gssd and a keytab, which the image
	 * does not have. */
	{ "nfs", false, false },
	{ "nfsv4", false, false },
	{ "nfsv3", false, false },
	/* NICs, loaded when one shows up: QEMU's (virtio_net behind virtio_pci, e1000, e1000e, rtl8139
	 * as 8139cp/8139too, pcnet32, ne2k_pci, vmxnet3 for VMware) and the common real ones (Realtek
	 * r8169, Intel igb/ixgbe, Broadcom tg3/bnx2). */
	{ "virtio_pci", false, false },
	{ "virtio_net", false, false },
	{ "e1000", false, false },
	{ "e1000e", false, false },
	{ "r8169", false, false },
	{ "igb", false, false },
	{ "ixgbe", false, false },
	{ "tg3", false, false },
	{ "bnx2", false, false },
	{ "8139cp", false, false },
	{ "8139too", false, false },
	{ "pcnet32", false, false },
	{ "ne2k_pci", false, false },
	{ "vmxnet3", false, false },
};

size_t net_nmodules(void)
{
	return sizeof(mods) / sizeof(mods[0]);
}

void net_modules(struct modwant *want, size_t *n, bool at_boot)
{
	for (size_t i = 0; i < net_nmodules(); i++)
		if (mods[i].at_boot == at_boot)
			want[(*n)++] = (struct modwant){ .name = mods[i].name,
							 .reason = at_boot ? "--net" : "--net, on demand",
							 .optional = !mods[i].required };
}
