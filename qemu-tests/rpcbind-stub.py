#!/usr/bin/env python3
"""qemu-tests/rpcbind-stub.py SOCKET — says yes to nfs-ganesha's rpcbind registrations, and nothing else.

nfs-ganesha 4.3 exits when it cannot register NFSv3 and MOUNT with rpcbind, and has no setting to skip
that. A real rpcbind is a system service on port 111 of every address; the guests never ask it anything
(their mount options give port= and mountport=). So the harness runs ganesha in a mount namespace of its
own whose /run is a tmpfs, with this stub listening on its /run/rpcbind.sock (libntirpc's first choice):
RPCBPROC_SET and UNSET answer TRUE, GETADDR an empty address, GETPORT 0, NULL nothing. No network socket.
"""
import os
import socket
import struct
import sys
import threading


def reply(xid, result):
    # REPLY, MSG_ACCEPTED, verifier AUTH_NONE, SUCCESS, then the result.
    return struct.pack(">IIIIII", xid, 1, 0, 0, 0, 0) + result


def answer(call):
    xid, mtype, _rpcvers, prog, vers, proc = struct.unpack(">IIIIII", call[:24])
    if mtype != 0 or prog != 100000:
        return None
    if proc == 0:
        res = b""
    elif proc in (1, 2):  # SET, UNSET: "registered"
        res = struct.pack(">I", 1)
    elif proc == 3 and vers == 2:  # PMAPPROC_GETPORT
        res = struct.pack(">I", 0)
    else:  # GETADDR and the rest: an empty string
        res = struct.pack(">I", 0)
    return reply(xid, res)


def serve(conn):
    conn.settimeout(30)
    try:
        while True:
            rec = b""
            last = False
            while not last:  # record marking: fragments until the last-fragment bit
                hdr = conn.recv(4, socket.MSG_WAITALL)
                if len(hdr) < 4:
                    return
                (n,) = struct.unpack(">I", hdr)
                last, n = bool(n & 0x80000000), n & 0x7FFFFFFF
                if n > 65536:
                    return
                rec += conn.recv(n, socket.MSG_WAITALL)
            out = answer(rec) if len(rec) >= 24 else None
            if out is None:
                return
            conn.sendall(struct.pack(">I", 0x80000000 | len(out)) + out)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: rpcbind-stub.py SOCKET")
    try:
        os.unlink(sys.argv[1])
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sys.argv[1])
    srv.listen(16)
    print("rpcbind-stub: listening on %s" % sys.argv[1], flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
