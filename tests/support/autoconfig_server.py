#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An HTTPS server for autoconfig tests, on 127.0.0.1 only.

    autoconfig_server.py --ca-cert CA.pem --ca-key CA.key --names a.lab.test,lab.test --root DIR [--work DIR]

Makes a certificate for the given names signed by the lab's CA (so the client verifies a real chain and
host name), serves the files under DIR on a free port, prints "READY <port>" and then one line
"GET <path>" per request on stdout.
"""
import argparse
import http.server
import os
import ssl
import subprocess
import sys
import tempfile


def make_certificate(ca_cert, ca_key, names, work):
    key = os.path.join(work, "server.key")
    csr = os.path.join(work, "server.csr")
    cert = os.path.join(work, "server.pem")
    ext = os.path.join(work, "server.ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=" + ",".join("DNS:" + n for n in names) + "\n")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + names[0],
                    "-keyout", key, "-out", csr], **quiet)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial",
                    "-CAserial", os.path.join(work, "ca.srl"), "-days", "2", "-extfile", ext, "-out", cert], **quiet)
    return cert, key


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        print("GET " + self.path, flush=True)
        super().do_GET()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ca-cert", required=True)
    parser.add_argument("--ca-key", required=True)
    parser.add_argument("--names", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="tern-autoconfig-")
    cert, key = make_certificate(args.ca_cert, args.ca_key, args.names.split(","), work)

    root = os.path.abspath(args.root)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            lambda *a, **k: Handler(*a, directory=root, **k))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    print("READY %d" % httpd.server_address[1], flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
