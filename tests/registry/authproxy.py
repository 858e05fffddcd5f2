#!/usr/bin/env python3
"""HTTP authentication, and optionally TLS, in front of the test Schema Registry (Python standard library only).

Apicurio Registry 2.x authenticates only through an OpenID Connect server such as Keycloak: even its "basic auth"
option trades the user and password for a token at that server. The tests need 401, 403 and TLS failures from a
registry without running one, so tests/registry/registry starts this proxy in front of the open registry.

    authproxy.py --upstream http://127.0.0.1:PORT --ready-file FILE
                 [--user NAME:PASSWORD]... [--readonly-user NAME:PASSWORD]... [--token TOKEN]...
                 --listen NAME PORT [CERT KEY [CLIENT_CA]] ...

Every listener is on 127.0.0.1. PORT 0 picks a free port below the ephemeral range and binds it at once. With CERT
and KEY the listener speaks TLS; with CLIENT_CA too it requires a client certificate signed by that CA.

A request passes when it carries `Authorization: Basic` with a --user's name and password, `Authorization: Bearer`
with a --token, or (on a listener with CLIENT_CA) arrives over a verified client certificate. A --readonly-user may
only GET and HEAD: anything else answers 403. Everything else answers 401 with a WWW-Authenticate challenge. The
bodies are JSON shaped like the registry's own errors: {"error_code": 401, "message": "..."}.

When every listener is bound, FILE receives {"pid": ..., "listeners": {NAME: PORT, ...}}. One line per request goes
to stderr (listener, method, path, status, user); passwords and tokens are never written. SIGTERM stops it.
"""
import argparse
import base64
import hmac
import http.client
import http.server
import json
import os
import random
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "host", "authorization"}


def log(text):
    sys.stderr.write(time.strftime("%H:%M:%S ") + text + "\n")
    sys.stderr.flush()


def pair(text):
    name, sep, password = text.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected NAME:PASSWORD")
    return name, password


def error_body(status, message):
    return json.dumps({"error_code": status, "message": message}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kbatch-test-authproxy"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            # The handshake runs here, in this connection's thread, so that a client that never completes it cannot
            # stall the accept loop. A failure is logged by the server's handle_error.
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def log_message(self, fmt, *args):  # the one line per request is written by respond()
        pass

    def authenticate(self):
        """Returns (user, None) when the request may pass, else (user or None, (status, message))."""
        cfg = self.server.cfg
        header = self.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            try:
                name, _, password = base64.b64decode(credentials.strip(), validate=True).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return None, (401, "Unauthorized: malformed basic credentials")
            for table, readonly in ((cfg.users, False), (cfg.readonly_users, True)):
                expected = table.get(name)
                if expected is not None and hmac.compare_digest(expected.encode(), password.encode()):
                    if readonly and self.command not in ("GET", "HEAD"):
                        return name, (403, "User %s may only read (GET), not %s %s" % (name, self.command,
                                                                                     self.path.split("?")[0]))
                    return name, None
            return name, (401, "Unauthorized: wrong user or password")
        if scheme == "bearer":
            token = credentials.strip()
            if any(hmac.compare_digest(token.encode(), t.encode()) for t in cfg.tokens):
                return "bearer", None
            return None, (401, "Unauthorized: unknown bearer token")
        if isinstance(self.request, ssl.SSLSocket) and self.server.client_ca:
            cert = self.request.getpeercert()
            if cert:  # the handshake verified it against CLIENT_CA
                cn = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
                return "cert:" + (cn[0] if cn else "?"), None
        return None, (401, "Unauthorized")

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def respond(self, status, headers, body, user):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        log("%s %s %s -> %d (%s)" % (self.server.name, self.command, self.path, status, user or "-"))

    def handle_any(self):
        body = self.read_body()
        user, refusal = self.authenticate()
        if refusal:
            status, message = refusal
            headers = [("Content-Type", "application/json")]
            if status == 401:
                headers.append(("WWW-Authenticate", 'Basic realm="kbatch-test-registry", charset="UTF-8"'))
                headers.append(("WWW-Authenticate", 'Bearer realm="kbatch-test-registry"'))
            self.respond(status, headers, error_body(status, message), user)
            return
        upstream = self.server.cfg.upstream
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = upstream.netloc
        try:
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            conn.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT") else None,
                         headers=headers)
            answer = conn.getresponse()
            payload = answer.read()
            out = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
            conn.close()
        except OSError as e:
            self.respond(502, [("Content-Type", "application/json")], error_body(502, "upstream: %s" % e), user)
            return
        self.respond(answer.status, out, payload, user)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, name, port, cfg, tls=None, client_ca=None):
        self.name, self.cfg, self.client_ca = name, cfg, client_ca
        self.context = None
        if tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(*tls)
            if client_ca:
                self.context.verify_mode = ssl.CERT_REQUIRED
                self.context.load_verify_locations(client_ca)
        super().__init__(("127.0.0.1", port), Handler)

    def get_request(self):
        sock, addr = super().get_request()
        if self.context:
            sock = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        e = sys.exc_info()[1]
        if isinstance(e, (ssl.SSLError, ConnectionError, socket.timeout)):
            log("%s %s:%d connection failed: %s" % (self.name, client_address[0], client_address[1], e))
        else:
            super().handle_error(request, client_address)


def bind(name, port, cfg, tls, client_ca):
    if port:
        return Server(name, port, cfg, tls, client_ca)
    # Below the ephemeral range, like the broker's and the registry's ports, and bound at once: no window in which
    # another process could take it.
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(200):
        if low <= 11000:
            break
        try:
            return Server(name, random.randrange(10000, low), cfg, tls, client_ca)
        except OSError:
            continue
    return Server(name, 0, cfg, tls, client_ca)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of the registry")
    ap.add_argument("--user", type=pair, action="append", default=[], metavar="NAME:PASSWORD")
    ap.add_argument("--readonly-user", type=pair, action="append", default=[], metavar="NAME:PASSWORD")
    ap.add_argument("--token", action="append", default=[])
    ap.add_argument("--listen", nargs="+", action="append", required=True,
                    metavar="NAME PORT [CERT KEY [CLIENT_CA]]")
    ap.add_argument("--ready-file", required=True)
    args = ap.parse_args()

    cfg = argparse.Namespace(upstream=urllib.parse.urlsplit(args.upstream), users=dict(args.user),
                             readonly_users=dict(args.readonly_user), tokens=list(args.token))
    if cfg.upstream.scheme != "http" or not cfg.upstream.port:
        ap.error("--upstream must be http://HOST:PORT")
    servers = []
    for spec in args.listen:
        if len(spec) not in (2, 4, 5):
            ap.error("--listen NAME PORT [CERT KEY [CLIENT_CA]]")
        tls = (spec[2], spec[3]) if len(spec) >= 4 else None
        servers.append(bind(spec[0], int(spec[1]), cfg, tls, spec[4] if len(spec) == 5 else None))

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for s in servers:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    ports = {s.name: s.server_address[1] for s in servers}
    tmp = args.ready_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"pid": os.getpid(), "listeners": ports}, f)
    os.replace(tmp, args.ready_file)
    log("listening on %s, forwarding to %s" % (", ".join("%s=%d" % kv for kv in ports.items()), args.upstream))
    while not stop.wait(1):
        pass
    for s in servers:
        s.shutdown()
    log("stopped")


if __name__ == "__main__":
    main()
