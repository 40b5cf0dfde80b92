#!/usr/bin/env python3
"""http-fetch-server.py DIR — the server init/tests/test-http-fetch.c downloads from, on 127.0.0.1 and a
free port (printed as the first line). DIR/img is the image (random bytes); each request is logged in
DIR/events as "PATH N" (its count), and what the client did where that matters."""
import http.server, os, socket, sys, threading

DIR = sys.argv[1]
IMG = os.urandom(3 * 1024 * 1024 + 77)
with open(os.path.join(DIR, "img"), "wb") as f:
    f.write(IMG)
counts, lock = {}, threading.Lock()

def event(line):
    with lock, open(os.path.join(DIR, "events"), "a") as f:
        f.write(line + "\n")

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def head(self, code, length=None, extra=()):
        self.send_response(code)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
    def do_GET(self):
        with lock:
            n = counts[self.path] = counts.get(self.path, 0) + 1
        event(f"{self.path} {n}")
        self.close_connection = True
        p = self.path
        if p == "/img":
            self.head(200, len(IMG)); self.wfile.write(IMG)
        elif p == "/chunked":
            self.head(200, None, [("Transfer-Encoding", "chunked")])
            for i in range(0, len(IMG), 100000):
                part = IMG[i:i + 100000]
                self.wfile.write(b"%x;ext=1\r\n" % len(part) + part + b"\r\n")
            self.wfile.write(b"0\r\nX-Trailer: 1\r\n\r\n")
        elif p == "/noclen":
            self.head(200); self.wfile.write(IMG)
        elif p == "/flaky" and n == 1 or p == "/broken":
            self.head(200, len(IMG)); self.wfile.write(IMG[:len(IMG) // 2])
        elif p == "/flaky":
            self.head(200, len(IMG)); self.wfile.write(IMG)
        elif p == "/busy" and n == 1:
            self.head(503, 0)
        elif p == "/busy":
            self.head(200, len(IMG)); self.wfile.write(IMG)
        elif p == "/redirect":
            self.head(302, 0, [("Location", "/img")])
        elif p == "/loop":
            self.head(301, 0, [("Location", "/loop")])
        elif p == "/big":
            # 700 MiB announced: the client must close before any of it is sent.
            self.head(200, 700 * 1024 * 1024)
            self.connection.settimeout(5)
            try:
                closed = self.connection.recv(1) == b""
            except (socket.timeout, ConnectionResetError):
                closed = False
            event("big closed-early" if closed else "big kept-open")
        elif p == "/silent":
            self.connection.settimeout(8)
            try:
                self.connection.recv(1)
            except (socket.timeout, ConnectionResetError):
                pass
        else:
            body = b"not here\n"
            self.head(404, len(body)); self.wfile.write(body)

srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
print(srv.server_address[1], flush=True)
srv.serve_forever()
