#!/usr/bin/python3
"""STAND-IN for Keystone v3 and the nova/cinder/neutron/heat service lists
(checks_test.cc; the real services run in tests/agents/control-plane.sh).
Answers with the documents' real shapes: POST /v3/auth/tokens (201,
X-Subject-Token, token.expires_at, token.project.id), GET /v3/auth/tokens,
GET /nova/os-services, /cinder/os-services, /neutron/agents,
/heat/<project>/services. The service state comes from the file argv[2].
usage: service-api-stand-in.py HOST STATEFILE   (prints its port)"""
import http.server, json, sys, urllib.parse

HOST, STATE = sys.argv[1], sys.argv[2]
TOKEN = {"token": {"expires_at": "2099-01-01T00:00:00.000000Z", "project": {"id": "p1", "name": "admin"}}}

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def send(self, code, doc, headers=()):
        body = json.dumps(doc).encode()
        self.send_response(code)
        for k, v in headers: self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        req = json.loads(self.rfile.read(n))
        ok = req["auth"]["identity"]["password"]["user"]["password"] == "pw"
        self.send(201, TOKEN, [("X-Subject-Token", "tok")]) if ok else self.send(401, {})
    def do_GET(self):
        if self.headers.get("X-Auth-Token") != "tok": return self.send(401, {})
        u = urllib.parse.urlparse(self.path); q = urllib.parse.parse_qs(u.query)
        up = open(STATE).read().strip() == "up"
        if u.path == "/v3/auth/tokens": return self.send(200, TOKEN)
        if u.path == "/nova/os-services":
            return self.send(200, {"services": [{"binary": b, "host": HOST, "state": "up" if up else "down",
                                                 "status": "enabled"} for b in q.get("binary", [])
                                                if q.get("host") == [HOST]]})
        if u.path == "/cinder/os-services":
            return self.send(200, {"services": [{"binary": "cinder-volume", "host": HOST + "@fake",
                                                 "state": "up" if up else "down"}]})
        if u.path == "/neutron/agents":
            return self.send(200, {"agents": [{"binary": q["binary"][0], "host": HOST, "alive": up}]})
        if u.path == "/heat/p1/services":
            return self.send(200, {"services": [{"binary": "heat-engine", "host": HOST, "status": "up" if up else "down"}]})
        self.send(404, {})

s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
