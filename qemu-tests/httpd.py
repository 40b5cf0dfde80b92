#!/usr/bin/env python3
"""qemu-tests/httpd.py MODE DIR — the misbehaving HTTP servers of the network-boot scenarios (issue 13).

Serves the files of DIR on 127.0.0.1 only, on a port the kernel picks (bind to port 0, so that two runs
never race for one), and prints "Serving HTTP on 127.0.0.1 port N" first, as `python3 -m http.server`
does: the harness reads the port there. The plain case is `python3 -m http.server` itself; MODE is one
of the cases it cannot play:

  truncate       the headers with the whole Content-Length, half the body, then the connection closed:
                 every time, so that the client's retries all fail too
  truncate-once  the same for the first request of each file, whole answers after it (Range: bytes=N-
                 honoured with 206): a client that retries gets the file
  404            every request answered 404 Not Found
  chunked        HTTP/1.1, Transfer-Encoding: chunked, no Content-Length (the size is known only at the
                 end), chunks of 64 KiB less a few bytes so that they never line up with the client's reads

Every request and what was done with it goes to stderr (the harness keeps it as the scenario's
http.log). Bounded: a connection that sends nothing for 30 s is dropped.
"""
import http.server
import os
import re
import sys
import threading

MODES = ("truncate", "truncate-once", "404", "chunked")
CHUNK = 65536 - 7


class Handler(http.server.BaseHTTPRequestHandler):
    timeout = 30
    seen = set()
    lock = threading.Lock()

    def log_message(self, fmt, *args):
        sys.stderr.write("httpd %s: %s\n" % (self.server.mode, fmt % args))
        sys.stderr.flush()

    def note(self, what):
        self.log_message("%s %s", self.path, what)

    def file(self):
        # Only plain names in DIR: nothing above it can be asked for.
        name = self.path.split("?", 1)[0].lstrip("/")
        if not name or "/" in name or name.startswith("."):
            return None
        path = os.path.join(self.server.dir, name)
        return path if os.path.isfile(path) else None

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        mode = self.server.mode
        path = self.file()
        if mode == "404" or path is None:
            self.send_error(404, "Not Found")
            return
        size = os.path.getsize(path)
        start = 0
        m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if m and mode == "truncate-once" and int(m.group(1)) < size:
            start = int(m.group(1))
        with self.lock:
            first = path not in self.seen
            self.seen.add(path)
        cut = mode == "truncate" or (mode == "truncate-once" and first)
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        if mode == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size - start))
            if start:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        with open(path, "rb") as f:
            f.seek(start)
            if mode == "chunked":
                while True:
                    b = f.read(CHUNK)
                    if not b:
                        break
                    self.wfile.write(b"%x\r\n" % len(b) + b + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                self.note("sent %d bytes in chunks" % size)
            elif cut:
                half = (size - start) // 2
                self.wfile.write(f.read(half))
                self.wfile.flush()
                self.note("cut after %d of %d bytes" % (start + half, size))
                self.close_connection = True
            else:
                self.wfile.write(f.read())
                self.note("sent bytes %d-%d" % (start, size - 1))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in MODES or not os.path.isdir(sys.argv[2]):
        sys.exit("usage: httpd.py %s DIR" % "|".join(MODES))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.mode, srv.dir = sys.argv[1], sys.argv[2]
    Handler.protocol_version = "HTTP/1.1" if srv.mode == "chunked" else "HTTP/1.0"
    print("Serving HTTP on 127.0.0.1 port %d (%s)" % (srv.server_address[1], srv.mode), flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
