#!/usr/bin/env python3
"""init/tests/mdsuper.py -- write an md RAID member's superblock into an image file, for the probe tests
(this machine's kernel has no md, so mdadm --create cannot make one here).

  mdsuper.py [options] VERSION IMAGE     VERSION: 0.90, 1.0, 1.1 or 1.2

  --uuid UUID     the array's UUID (8-4-4-4-12), as blkid prints it
  --name NAME     the array's name (version 1; mdadm writes "host:name")
  --level N       the RAID level as mdadm numbers it (default 1; -1 linear)
  --big-endian    0.90 only: the superblock as a big-endian machine writes it
  --bad-csum      version 1: a wrong checksum (stale bytes of an old member)
  --max-dev N     version 1: N device roles (default 2; an odd N ends the checksum on a half word)

The layout is linux/raid/md_p.h's (mdp_superblock_s for 0.90, mdp_superblock_1 for 1.x), with the
fields mdadm's super0.c and super1.c fill for a two-disk array, this disk the first; the image's size
places the superblock as the kernel looks for it. Prints the data area's offset and size in bytes.
"""
import argparse
import os
import struct
import sys
import time
import uuid as uuidmod

MD_MAGIC = 0xA92B4EFC
MD_RESERVED = 64 * 1024


def csum1(sb):
    """The kernel's calc_sb_1_csum(): 32-bit LE words up to the end of dev_roles, the field itself as 0."""
    max_dev = struct.unpack_from("<I", sb, 220)[0]
    size = 256 + 2 * max_dev
    data = bytearray(sb[:size])
    data[216:220] = b"\0\0\0\0"
    total = 0
    i = 0
    while size - i >= 4:
        total += struct.unpack_from("<I", data, i)[0]
        i += 4
    if size - i == 2:
        total += struct.unpack_from("<H", data, i)[0]
    return ((total & 0xFFFFFFFF) + (total >> 32)) & 0xFFFFFFFF


def v1(version, dev_size, u, name, level, bad, max_dev):
    sectors = dev_size // 512
    if version == "1.0":
        super_offset = (sectors - 16) & ~7
        data_offset = 0
        data_size = super_offset - 8  # mdadm keeps a few sectors free before it (bitmap space aside)
    else:
        super_offset = 0 if version == "1.1" else 8
        data_offset = 2048
        data_size = sectors - data_offset
    sb = bytearray(4096)
    now = int(time.time())
    struct.pack_into("<IIII", sb, 0, MD_MAGIC, 1, 0, 0)
    sb[16:32] = u
    sb[32:64] = name.encode()[:32].ljust(32, b"\0")
    struct.pack_into("<QiiQIII", sb, 64, now, level, 0 if level != 5 else 2, data_size, 0 if level == 1 else 1024, 2, 0)
    struct.pack_into("<QQQQII", sb, 128, data_offset, data_size, super_offset, 0, 0, 0)
    sb[168:184] = uuidmod.uuid4().bytes  # this device's own UUID
    struct.pack_into("<QQQ", sb, 192, now, 1, 0xFFFFFFFFFFFFFFFF)  # utime, events, resync done
    struct.pack_into("<I", sb, 220, max_dev)
    for d in range(max_dev):  # devices 0 and 1 active, the rest spares
        struct.pack_into("<H", sb, 256 + 2 * d, d if d < 2 else 0xFFFF)
    c = csum1(sb)
    struct.pack_into("<I", sb, 216, c ^ 1 if bad else c)
    return super_offset * 512, sb, data_offset * 512, data_size * 512


def v090(dev_size, u, level, big):
    # MD_NEW_SIZE_SECTORS: the size rounded down to 64 KiB, less 64 KiB; the superblock is there.
    off = (dev_size & ~(MD_RESERVED - 1)) - MD_RESERVED
    e = ">" if big else "<"
    w = [0] * 1024
    now = int(time.time())
    uw = struct.unpack(">4I", u)  # blkid prints each word most significant byte first
    w[0:16] = [MD_MAGIC, 0, 90, 0, 0, uw[0], now, level & 0xFFFFFFFF, off // 1024, 2, 2, 0, 0, uw[1], uw[2], uw[3]]
    w[32:38] = [now, 1, 2, 2, 0, 0]  # utime, state (clean), active, working, failed, spare disks
    w[40] = 1  # events
    for d in range(2):  # disks[d]: number, major, minor, raid_disk, state (active, sync)
        w[128 + 32 * d:128 + 32 * d + 5] = [d, 8, 16 * d, d, 6]
    w[992:997] = w[128:133]  # this_disk
    total = sum(w)  # calc_sb_csum(): the words summed (the field itself 0), the carry folded once
    w[38] = ((total & 0xFFFFFFFF) + (total >> 32)) & 0xFFFFFFFF
    return off, struct.pack(e + "1024I", *w), 0, off


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uuid", default=str(uuidmod.uuid4()))
    ap.add_argument("--name", default="")
    ap.add_argument("--level", type=int, default=1)
    ap.add_argument("--big-endian", action="store_true")
    ap.add_argument("--bad-csum", action="store_true")
    ap.add_argument("--max-dev", type=int, default=2, choices=range(2, 1921), metavar="N")
    ap.add_argument("version", choices=["0.90", "1.0", "1.1", "1.2"])
    ap.add_argument("image")
    a = ap.parse_args()
    size = os.path.getsize(a.image)
    if size < 4 * MD_RESERVED:
        sys.exit("mdsuper.py: %s: at least 256 KiB please" % a.image)
    u = uuidmod.UUID(a.uuid).bytes
    if a.version == "0.90":
        off, sb, doff, dsize = v090(size, u, a.level, a.big_endian)
    else:
        off, sb, doff, dsize = v1(a.version, size, u, a.name, a.level, a.bad_csum, a.max_dev)
    with open(a.image, "r+b") as f:
        f.seek(off)
        f.write(sb)
    print(doff, dsize)


main()
