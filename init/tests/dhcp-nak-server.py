#!/usr/bin/env python3
"""dhcp-nak-server.py IFNAME SECONDS: a DHCP server that offers 10.77.0.200 and then refuses every
REQUEST (DHCPNAK), for init/tests/dhcp-client-run.sh. Before each OFFER it sends the same OFFER with
another xid and a truncated copy: noise the client must ignore. Prints one line per message sent."""
import socket
import struct
import sys
import time


def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(xid, chaddr, mtype):
    bootp = struct.pack('!BBBBIHH4s4s4s4s16s64s128s', 2, 1, 6, 0, xid, 0, 0x8000, bytes(4),
                        bytes([10, 77, 0, 200]) if mtype == 2 else bytes(4), bytes([10, 77, 0, 1]),
                        bytes(4), chaddr, bytes(64), bytes(128))
    opts = bytes([99, 130, 83, 99, 53, 1, mtype, 54, 4, 10, 77, 0, 1, 1, 4, 255, 255, 255, 0, 51, 4, 0, 0, 14, 16, 255])
    payload = bootp + opts
    udp = struct.pack('!HHHH', 67, 68, 8 + len(payload), 0) + payload
    iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([10, 77, 0, 1]), bytes(4 * [255]))
    iph = iph[:10] + struct.pack('!H', csum(iph)) + iph[12:]
    return iph + udp


def main():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    s.bind((sys.argv[1], 0))
    s.settimeout(0.5)
    end = time.time() + float(sys.argv[2])
    dest = (sys.argv[1], 0x0800, 0, 0, b'\xff' * 6)
    while time.time() < end:
        try:
            d = s.recv(2000)
        except socket.timeout:
            continue
        if len(d) < 28 + 240 or d[9] != 17 or d[22:24] != b'\x00\x43' or d[28] != 1:
            continue
        xid = struct.unpack('!I', d[32:36])[0]
        chaddr = d[56:72]
        opts = d[28 + 240:]
        mtype = opts[2] if opts[:2] == b'\x35\x01' else 0
        if mtype == 1:
            s.sendto(frame(xid ^ 1, chaddr, 2), dest)
            s.sendto(frame(xid, chaddr, 2)[:200], dest)
            s.sendto(frame(xid, chaddr, 2), dest)
            print('OFFER', hex(xid), flush=True)
        elif mtype == 3:
            s.sendto(frame(xid, chaddr, 6), dest)
            print('NAK', hex(xid), flush=True)


main()
