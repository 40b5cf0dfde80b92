#!/usr/bin/env python3
"""http-capture.py DIR — real HTTP responses for init/tests/test-http.c and fuzz/corpus/http/, as the
servers sent them: python3 -m http.server, busybox httpd, and a small chunked server (below), each on
127.0.0.1 only, asked with the request init/http.c writes. The served file is BODY_LEN bytes of
pattern() so that the test can check a body without keeping a copy. Run by hand; the output is kept."""
import os, socket, subprocess, sys, tempfile, time, http.server, threading

BODY_LEN = 3000

def pattern(n):
    return bytes((i * 7 + 3) % 251 for i in range(n))

def request(port, path):
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: earlyroot\r\n"
            "Accept-Encoding: identity\r\nConnection: close\r\n\r\n").encode()

def capture(port, path):
    for _ in range(50):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    s.sendall(request(port, path))
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            return out
        out += b

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

class Chunked(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        body = pattern(BODY_LEN)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        if self.path == "/trailer":
            self.send_header("Trailer", "X-Sum")
        self.end_headers()
        pos, sizes = 0, [1, 16, 1000, 255, 4096]
        i = 0
        while pos < len(body):
            n = min(sizes[i % len(sizes)], len(body) - pos)
            ext = ";name=value" if self.path == "/trailer" and i == 1 else ""
            self.wfile.write(b"%x%s\r\n" % (n, ext.encode()) + body[pos:pos + n] + b"\r\n")
            pos += n
            i += 1
        self.wfile.write(b"0\r\nX-Sum: 42\r\n\r\n" if self.path == "/trailer" else b"0\r\n\r\n")
        self.close_connection = True

def main():
    out = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "live.img"), "wb") as f:
            f.write(pattern(BODY_LEN))
        open(os.path.join(d, "empty.img"), "wb").close()
        os.mkdir(os.path.join(d, "dir"))
        procs = []
        p1, p2 = free_port(), free_port()
        procs.append(subprocess.Popen([sys.executable, "-m", "http.server", "-b", "127.0.0.1", str(p1)], cwd=d,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(["busybox", "httpd", "-f", "-p", f"127.0.0.1:{p2}", "-h", d]))
        srv = http.server.HTTPServer(("127.0.0.1", 0), Chunked)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        p3 = srv.server_address[1]
        try:
            for name, port, path in [("python-200", p1, "/live.img"), ("python-empty", p1, "/empty.img"),
                                     ("python-404", p1, "/missing.img"), ("python-301", p1, "/dir"),
                                     ("busybox-200", p2, "/live.img"), ("busybox-empty", p2, "/empty.img"),
                                     ("busybox-404", p2, "/missing.img"), ("busybox-302", p2, "/dir"),
                                     ("chunked-200", p3, "/live.img"), ("chunked-trailer", p3, "/trailer")]:
                with open(os.path.join(out, name), "wb") as f:
                    f.write(capture(port, path))
        finally:
            for p in procs:
                p.terminate()
                p.wait()
            srv.shutdown()

main()
