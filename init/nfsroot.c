/* nfsroot.c — see nfsroot.h. */
#include "nfsroot.h"
#include "mount_root.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

int nfs_mount_args(const struct nfs_root *r, int vers, uint32_t client, char *source, size_t ssize,
		   const char **type, char *data, size_t dsize)
{
	char srv[16], cli[16];
	int n;

	ipconf_ntoa(r->server, srv);
	ipconf_ntoa(client, cli);
	n = snprintf(source, ssize, "%s:%s", srv, r->path);
	if (n < 0 || (size_t)n >= ssize)
		return -1;
	if (vers >= 40) {
		*type = "nfs4";
		n = snprintf(data, dsize, "vers=4.%d%s%s,addr=%s%s%s", vers - 40, r->options[0] ? "," : "", r->options,
			     srv, client ? ",clientaddr=" : "", client ? cli : "");
	} else {
		/* nolock: NFSv3 locks need rpc.statd, which the initramfs does not run (and could not hand
		 * to the real system); TCP for MOUNT too: no UDP rpcbind round trip to get lost. */
		*type = "nfs";
		n = snprintf(data, dsize, "vers=3,proto=tcp,mountproto=tcp%s%s,nolock,addr=%s", r->options[0] ? "," : "",
			     r->options, srv);
	}
	return n < 0 || (size_t)n >= dsize ? -1 : 0;
}

void nfs_mount_error(const struct nfs_root *r, const char *tried, int errnum, char *err, size_t errsize)
{
	char srv[16];
	const char *why;

	ipconf_ntoa(r->server, srv);
	switch (errnum) {
	case EACCES:
	case EPERM:
		why = "the server refuses this client: its export must list this machine's address "
		      "(/etc/exports on the server, then exportfs -r)";
		break;
	case ENOENT:
		why = "no such export path on the server (NFSv4 paths are relative to the server's pseudo-root; "
		      "showmount -e SERVER on another machine lists the exports)";
		break;
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
		why = "the server does not answer: check its address, the network configuration (ip=) and "
		      "that its NFS service runs";
		break;
	case ECONNREFUSED:
		why = "nothing listens for NFS there (port 2049, and rpcbind for NFSv3): is the NFS server running?";
		break;
	case ENODEV:
		why = "the kernel has no NFS filesystem: the nfs/nfsv4/nfsv3 modules are not in the image "
		      "(rebuild it with mkinitramfs --net)";
		break;
	case EPROTONOSUPPORT:
		why = "the server does not serve that NFS version: try another (root=nfs:SERVER:/PATH:nfsvers=3, "
		      "or vers=4.0)";
		break;
	case EINVAL:
		why = "the kernel refused the mount options: check those after the path (man 5 nfs)";
		break;
	case ESTALE:
		why = "the server's file handle for the export is stale: re-export it on the server (exportfs -r)";
		break;
	default:
		why = NULL;
		break;
	}
	if (why)
		snprintf(err, errsize, "cannot mount the NFS root %s:%s (NFS %s): %s", srv, r->path, tried, why);
	else
		snprintf(err, errsize, "cannot mount the NFS root %s:%s (NFS %s): error %d", srv, r->path, tried, errnum);
}

/* May the next rung of the version ladder help after ERRNUM, going from FROM to TO? */
static int worth_next(int errnum, int from, int to)
{
	if (errnum == EPROTONOSUPPORT || errnum == EINVAL)
		return 1;
	return from >= 40 && to < 40 && (errnum == ENODEV || errnum == ENOENT);
}

int nfs_mount_root(const struct nfs_root *r, uint32_t client_addr, int readonly, char *err, size_t errsize)
{
	static const int ladder[] = { 42, 41, 40, 30 };
	char source[sizeof r->path + 20], data[sizeof r->options + 96], tried[32] = "";
	const char *type;
	unsigned long flags = (r->readonly >= 0 ? r->readonly : readonly) ? MS_RDONLY : 0;
	int errnum = 0, last = 0;

	for (size_t i = 0; i < sizeof ladder / sizeof ladder[0]; i++) {
		int v = ladder[i];
		if (v > r->vers_max || v < r->vers_min)
			continue;
		if (last && !worth_next(errnum, last, v))
			break;
		if (nfs_mount_args(r, v, client_addr, source, sizeof source, &type, data, sizeof data) < 0) {
			snprintf(err, errsize, "the NFS root's path and options are too long");
			return -1;
		}
		size_t n = strlen(tried);
		if (v >= 40)
			snprintf(tried + n, sizeof tried - n, "%s4.%d", n ? ", " : "", v - 40);
		else
			snprintf(tried + n, sizeof tried - n, "%s3", n ? ", " : "");
		if (mount(source, NEWROOT, type, flags, data) == 0)
			return 0;
		errnum = errno;
		last = v;
	}
	if (!last) {
		snprintf(err, errsize, "the NFS root %s names no version the init can mount", r->path);
		return -1;
	}
	nfs_mount_error(r, tried, errnum, err, errsize);
	return -1;
}
