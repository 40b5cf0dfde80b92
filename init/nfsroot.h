/* nfsroot.h — mount an NFS root (parsed by ipconf.h's nfsroot_parse()) at NEWROOT with mount(2) and
 * the kernel's text options: no mount.nfs, no rpcbind or statd in the image.
 *
 * The modules must be loaded first: with `mkinitramfs --net` nfs, nfsv3 and nfsv4 (and their
 * closure) load at every boot. Without it, the aliases "fs-nfs4" and "fs-nfs" give nfs.ko only; the
 * kernel asks for the version modules by their names ("nfsv4", "nfsv3"), which no alias covers. */
#ifndef EARLYROOT_NFSROOT_H
#define EARLYROOT_NFSROOT_H

#include <stddef.h>
#include <stdint.h>

#include "ipconf.h"

/* The mount(2) arguments of one attempt at version VERS (42, 41, 40 or 30): SOURCE "SERVER:PATH",
 * *TYPE "nfs4" or "nfs", DATA the text options (our defaults, the user's options, then addr= and,
 * for v3, nolock, which the user's cannot override). CLIENT 0: no clientaddr= (the kernel picks the
 * connection's local address). Pure. Returns 0, or -1 if a buffer is too small. */
int nfs_mount_args(const struct nfs_root *r, int vers, uint32_t client, char *source, size_t ssize,
		   const char **type, char *data, size_t dsize);

/* The message for a failed mount: server, path, the versions TRIED ("4.2, 4.1"), and what ERRNUM
 * means for an NFS mount, with what to do. Pure. */
void nfs_mount_error(const struct nfs_root *r, const char *tried, int errnum, char *err, size_t errsize);

/* Mount R (completed: server known, %s replaced) at NEWROOT, read-only if R's options say ro, else if
 * READONLY (the command line's ro/rw). Versions from R's vers_max down to vers_min: the next minor
 * version after EPROTONOSUPPORT or EINVAL (a server or client without it), v4 to v3 also after ENODEV
 * (no nfsv4 module) and ENOENT (v4 paths are relative to the server's pseudo-root); any other error
 * ends the ladder (a server that does not answer would only time out again). Returns 0, or -1 with a
 * message in ERR. */
int nfs_mount_root(const struct nfs_root *r, uint32_t client_addr, int readonly, char *err, size_t errsize);

#endif
