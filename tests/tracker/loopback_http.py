#!/usr/bin/env python3
"""A static HTTP server on 127.0.0.1 for the tracker tests.

Usage: loopback_http.py DIR PORTFILE [--all-html] [--redirect PREFIX=LOCATION]...
Serves DIR on a free port and writes the port to PORTFILE (atomically, so a
test can poll for it). --all-html serves every file as text/html;
--redirect answers 301 to LOCATION for paths starting with PREFIX.
"""
import argparse, functools, http.server, os

ap = argparse.ArgumentParser()
ap.add_argument('dir')
ap.add_argument('portfile')
ap.add_argument('--all-html', action='store_true')
ap.add_argument('--redirect', action='append', default=[])
args = ap.parse_args()
redirects = [r.split('=', 1) for r in args.redirect]


class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def guess_type(self, path):
        return 'text/html' if args.all_html else super().guess_type(path)

    def do_GET(self):
        for prefix, location in redirects:
            if self.path.startswith(prefix):
                self.send_response(301)
                self.send_header('Location', location)
                self.end_headers()
                return
        super().do_GET()


srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(H, directory=args.dir))
with open(args.portfile + '.tmp', 'w') as f:
    f.write(str(srv.server_address[1]))
os.rename(args.portfile + '.tmp', args.portfile)
srv.serve_forever()
