/* test-nfsroot.c — the NFS root's mount(2) arguments and failure messages (init/nfsroot.c's pure
 * parts). The mount itself is not tested here: this machine's kernel has no NFS client (no
 * /proc/filesystems entry, no loadable modules), so the QEMU scenarios of issue 13 test it. */
#include "../nfsroot.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

static struct nfs_root nr;
static char err[400], src[300], data[400];
static const char *type;

static int args(const char *root, int vers, uint32_t client)
{
	if (nfsroot_parse(root, NULL, &nr, err, sizeof err) < 0 || nfsroot_complete(&nr, 0, client, err, sizeof err) < 0)
		return -2;
	return nfs_mount_args(&nr, vers, client, src, sizeof src, &type, data, sizeof data);
}

int main(void)
{
	const uint32_t client = 0x0f02000a; /* 10.0.2.15 in network order on a little-endian host */
	uint8_t b[4] = { 10, 0, 2, 15 };
	uint32_t cl;
	memcpy(&cl, b, 4);
	(void)client;

	CHECK(args("nfs4:10.0.2.2:/srv/root", 42, cl) == 0 && !strcmp(src, "10.0.2.2:/srv/root") && !strcmp(type, "nfs4") &&
		      !strcmp(data, "vers=4.2,addr=10.0.2.2,clientaddr=10.0.2.15"),
	      "NFSv4.2: type nfs4, vers=4.2,addr=,clientaddr= (got: %s)", data);
	CHECK(args("nfs4:10.0.2.2:/srv/root", 40, 0) == 0 && !strcmp(data, "vers=4.0,addr=10.0.2.2"),
	      "NFSv4.0 without a client address: no clientaddr= (got: %s)", data);
	CHECK(args("nfs:10.0.2.2:/srv/root", 30, cl) == 0 && !strcmp(type, "nfs") &&
		      !strcmp(data, "vers=3,proto=tcp,mountproto=tcp,nolock,addr=10.0.2.2"),
	      "NFSv3: type nfs, TCP for both, nolock, addr= (got: %s)", data);
	CHECK(args("nfs:10.0.2.2:/srv/root:rsize=65536,wsize=65536,lock,proto=udp", 30, cl) == 0 &&
		      !strcmp(data, "vers=3,proto=tcp,mountproto=tcp,rsize=65536,wsize=65536,proto=udp,nolock,addr=10.0.2.2"),
	      "the user's options after the defaults (they win), nolock and addr= last (they cannot be undone) (got: %s)",
	      data);
	CHECK(args("nfs4:10.0.2.2:/srv/%s:sec=sys,nconnect=4", 41, cl) == 0 && !strcmp(src, "10.0.2.2:/srv/10.0.2.15") &&
		      !strcmp(data, "vers=4.1,sec=sys,nconnect=4,addr=10.0.2.2,clientaddr=10.0.2.15"),
	      "NFSv4.1 with options, %%s in the source (got: %s %s)", src, data);
	{
		char small[20];
		CHECK(args("nfs:10.0.2.2:/srv/root", 42, cl) == 0 &&
			      nfs_mount_args(&nr, 42, cl, src, sizeof src, &type, small, sizeof small) < 0 &&
			      nfs_mount_args(&nr, 42, cl, small, 10, &type, data, sizeof data) < 0,
		      "a buffer too small is an error, not a cut string");
	}
	{
		/* The longest path and options the parser accepts still fit nfs_mount_root()'s buffers. */
		char root[700] = "nfs:10.0.2.2:/", *p = root + strlen(root);
		memset(p, 'p', 254);
		p += 254;
		*p++ = ':';
		for (int i = 0; i < 36; i++)
			p += sprintf(p, "%sx=1234", i ? "," : "");
		CHECK(nfsroot_parse(root, NULL, &nr, err, sizeof err) == 0 && strlen(nr.path) == 255 && strlen(nr.options) > 240 &&
			      nfs_mount_args(&nr, 30, cl, src, sizeof nr.path + 20, &type, data, sizeof nr.options + 96) == 0,
		      "the longest path and options fit the mount's buffers (%zu, %zu)", strlen(nr.path), strlen(nr.options));
	}

	nfsroot_parse("nfs:10.0.2.2:/srv/root", NULL, &nr, err, sizeof err);
	nfs_mount_error(&nr, "4.2, 4.1, 4.0, 3", EACCES, err, sizeof err);
	CHECK(strstr(err, "10.0.2.2:/srv/root") && strstr(err, "NFS 4.2, 4.1, 4.0, 3") && strstr(err, "refuses this client"),
	      "EACCES: server, path, versions, the export refuses (got: %s)", err);
	nfs_mount_error(&nr, "4.2", ENOENT, err, sizeof err);
	CHECK(strstr(err, "no such export path"), "ENOENT: no such export path");
	nfs_mount_error(&nr, "4.2", ETIMEDOUT, err, sizeof err);
	CHECK(strstr(err, "does not answer"), "ETIMEDOUT: the server does not answer");
	nfs_mount_error(&nr, "4.2", EHOSTUNREACH, err, sizeof err);
	CHECK(strstr(err, "does not answer"), "EHOSTUNREACH: the server does not answer");
	nfs_mount_error(&nr, "4.2", ENODEV, err, sizeof err);
	CHECK(strstr(err, "mkinitramfs --net"), "ENODEV: rebuild with mkinitramfs --net");
	nfs_mount_error(&nr, "4.2", EPROTONOSUPPORT, err, sizeof err);
	CHECK(strstr(err, "nfsvers=3"), "EPROTONOSUPPORT: try nfsvers=3 (got: %s)", err);
	nfs_mount_error(&nr, "3", 12345, err, sizeof err);
	CHECK(strstr(err, "error 12345"), "an unexpected error: its number");
	return tap_finish();
}
