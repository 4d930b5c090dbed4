#!/usr/bin/env python3
"""hapkg upgrade-check against real apt-get -s on the same sandbox root.

Every scenario is built here from hand-made Packages/status files (and one
from .debs through `hapkg archive`); for each mode the install, remove and
held-back sets hapkg reports must equal what
`APT_CONFIG=ROOT/apt.conf apt-get -s dist-upgrade|upgrade|upgrade --with-new-pkgs`
prints on the very root hapkg built (--keep-root)."""
import glob, json, os, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

HAPKG = sys.argv[1]
T = tempfile.mkdtemp()
os.chmod(T, 0o755)
failures = []


def stanza(name, ver, arch="amd64", status=False, **fields):
    f = {"Package": name}
    if status:
        f["Status"] = fields.pop("Status", "install ok installed")
    f.update({"Priority": "optional", "Section": "admin", "Installed-Size": "1",
              "Maintainer": "T <t@example.org>", "Architecture": arch, "Version": ver})
    for k, v in fields.items():
        f[k.replace("_", "-")] = v
    if not status:
        f.update({"Filename": f"pool/{name}_{ver}_{arch}.deb", "Size": "100",
                  "MD5sum": "0" * 32})
    f["Description"] = f"fixture {name}"
    return "".join(f"{k}: {v}\n" for k, v in f.items())


def write(path, stanzas):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write("\n".join(stanzas))


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def apt_sets(root, mode):
    cmd = {"dist-upgrade": ["dist-upgrade"], "upgrade": ["upgrade"],
           "upgrade-new": ["upgrade", "--with-new-pkgs"]}[mode]
    env = dict(os.environ, APT_CONFIG=f"{root}/apt.conf")
    p = run(["apt-get", "-s", "-o", "Debug::NoLocking=1"] + cmd, env=env)
    if p.returncode != 0:
        return None
    inst = set(re.findall(r"^Inst (\S+)", p.stdout, re.M))
    remv = set(re.findall(r"^Remv (\S+)", p.stdout, re.M))
    m = re.search(r"kept back:\n((?:  .*\n)+)", p.stdout)
    held = set(m.group(1).split()) if m else set()
    return inst, remv, held


def check(name, args, modes=("dist-upgrade", "upgrade", "upgrade-new"), expect=None):
    for mode in modes:
        root = f"{T}/{name}-{mode}-root"
        p = run([HAPKG, "--json", "upgrade-check", "--mode", mode, "--keep-root", root] + args)
        if p.returncode not in (0, 1):
            failures.append(f"{name}/{mode}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        r = json.loads(p.stdout)
        ours = ({x["package"] for x in r["upgraded"] + r["new"] + r["downgraded"]},
                {x["package"] for x in r["removed"]}, {x["package"] for x in r["held"]})
        theirs = apt_sets(root, mode)
        if theirs is None:
            failures.append(f"{name}/{mode}: apt-get -s failed")
        elif ours != theirs:
            failures.append(f"{name}/{mode}: hapkg {ours} != apt-get {theirs}")
        if expect and mode in expect:
            try:
                expect[mode](r)
            except AssertionError as e:
                failures.append(f"{name}/{mode}: {e}")
        print(f"{name:14} {mode:12} install={sorted(ours[0])} remove={sorted(ours[1])} held={sorted(ours[2])}")


def assert_(cond, msg):
    if not cond:
        raise AssertionError(msg)


S = f"{T}/sc"
# 1. plain upgrade; a new dependency keeps `app` back in plain `upgrade`
write(f"{S}/plain/status", [stanza("app", "1.0", status=True, Depends="lib (>= 1.0)"),
                            stanza("lib", "1.0", status=True)])
write(f"{S}/plain/new/Packages", [stanza("app", "2.0", Depends="lib (>= 2.0), helper"),
                                  stanza("lib", "2.0"), stanza("helper", "1.0")])
check("plain", ["--new", f"{S}/plain/new", "--status", f"{S}/plain/status"],
      expect={"dist-upgrade": lambda r: assert_(r["ok"] and len(r["new"]) == 1, "helper new"),
              "upgrade": lambda r: assert_([h["package"] for h in r["held"]] == ["app"], "app held")})
# 2. removal forced by Breaks, and a local package pinned to the old stack
write(f"{S}/breaks/status", [stanza("pcs", "1.0", status=True), stanza("oldtool", "1.0", status=True),
                             stanza("pacemaker", "2.1", status=True),
                             stanza("ha-custom", "1.0", status=True, Depends="pacemaker (<< 3)")])
write(f"{S}/breaks/new/Packages", [stanza("pcs", "2.0", Breaks="oldtool (<< 2)"), stanza("pacemaker", "3.0")])
check("breaks", ["--new", f"{S}/breaks/new/Packages", "--status", f"{S}/breaks/status"],
      expect={"dist-upgrade": lambda r: assert_(
          {x["package"]: x["replaced_by"] for x in r["removed"]} == {"oldtool": [], "ha-custom": []},
          f"removals {r['removed']}")})
# 3. dpkg hold
write(f"{S}/hold/status", [stanza("corosync", "3.1.7", status=True, Status="hold ok installed"),
                           stanza("pacemaker", "2.1", status=True, Depends="corosync (>= 3)")])
write(f"{S}/hold/new/Packages", [stanza("corosync", "3.1.9"), stanza("pacemaker", "3.0", Depends="corosync (>= 3.1.9)")])
check("hold", ["--new", f"{S}/hold/new", "--status", f"{S}/hold/status"],
      expect={"dist-upgrade": lambda r: assert_(any(h["dpkg_hold"] for h in r["held"]), "dpkg hold flagged")})
# 4. broken PPA package blocks the upgrade (no fallback to the release's version)
write(f"{S}/ppa/status", [stanza("resource-agents", "1:4.12.0-2", status=True)])
write(f"{S}/ppa/new/Packages", [stanza("resource-agents", "1:4.16.0-3")])
write(f"{S}/ppa/ppa/Packages", [stanza("resource-agents", "1:4.17.0-1~ppa1", Depends="ha-missing-lib")])
check("broken-ppa", ["--new", f"{S}/ppa/new", "--ppa", f"{S}/ppa/ppa", "--status", f"{S}/ppa/status",
                     "--expect-version", "resource-agents (>= 1:4.16)"],
      expect={m: (lambda r: assert_(not r["ok"] and r["held"][0]["candidate"] == "1:4.17.0-1~ppa1", "blocked"))
              for m in ("dist-upgrade", "upgrade")})
# 5. version regression in the new release
write(f"{S}/regr/status", [stanza("deets", "0.3.2-1+b14", status=True)])
write(f"{S}/regr/new/Packages", [stanza("deets", "0.3.2-1+b13")])
check("regression", ["--new", f"{S}/regr/new", "--status", f"{S}/regr/status"],
      expect={"dist-upgrade": lambda r: assert_(r["regressions"][0]["newest"] == "0.3.2-1+b13", "regression")})
# 6. t64-style rename through Provides/Replaces
write(f"{S}/t64/status", [stanza("libfoo1", "1.0", status=True), stanza("app", "1.0", status=True, Depends="libfoo1")])
write(f"{S}/t64/new/Packages", [
    stanza("libfoo1t64", "1.1", Provides="libfoo1 (= 1.1)", Replaces="libfoo1", Breaks="libfoo1 (<< 1.1)"),
    stanza("app", "2.0", Depends="libfoo1t64")])
check("t64", ["--new", f"{S}/t64/new", "--status", f"{S}/t64/status"],
      expect={"dist-upgrade": lambda r: assert_(
          r["removed"][0]["replaced_by"] == ["libfoo1t64 (Provides)", "libfoo1t64 (Replaces)"], r["removed"])})
# 7. a new Essential package in the new release
write(f"{S}/ess/status", [stanza("app", "1.0", status=True)])
write(f"{S}/ess/new/Packages", [stanza("app", "1.1"), stanza("base-new", "1.0", Essential="yes", Priority="required")])
check("essential", ["--new", f"{S}/ess/new", "--status", f"{S}/ess/status"],
      expect={"dist-upgrade": lambda r: assert_([x["package"] for x in r["new"]] == ["base-new"], "essential new")})

# 8. Multi-Arch all/same/foreign with :any, the new release built with `hapkg archive` from real .debs
A = f"{T}/ma-archive"
def mkdeb(pkg, ver, arch, *lines):
    d = f"{T}/debs/{pkg}-{arch}"
    os.makedirs(f"{d}/DEBIAN", exist_ok=True)
    with open(f"{d}/DEBIAN/control", "w") as fh:
        fh.write(f"Package: {pkg}\nVersion: {ver}\nArchitecture: {arch}\nMaintainer: T <t@example.org>\n"
                 f"Installed-Size: 1\nPriority: optional\nSection: admin\n" + "".join(l + "\n" for l in lines)
                 + f"Description: fixture {pkg}\n")
    out = f"{T}/debs/{pkg}_{ver}_{arch}.deb"
    subprocess.run(["dpkg-deb", "-Zgzip", "-z1", "--root-owner-group", "-b", d, out], check=True, capture_output=True)
    return out
debs = [mkdeb("libx1", "2.0", "amd64", "Multi-Arch: same"), mkdeb("libx1", "2.0", "i386", "Multi-Arch: same"),
        mkdeb("python3", "3.11", "amd64", "Multi-Arch: allowed"),
        mkdeb("tool", "2.0", "all", "Multi-Arch: foreign", "Depends: python3:any, libx1"),
        mkdeb("plugin", "2.0", "i386", "Depends: tool, python3:any")]
for c in (["archive", "init", "-A", A, "-s", "trixie", "--arch", "amd64,i386"],
          ["archive", "include", "-A", A, "-s", "trixie"] + debs, ["archive", "export", "-A", A]):
    subprocess.run([HAPKG] + c, check=True, capture_output=True)
write(f"{S}/ma/status", [stanza("libx1", "1.0", status=True, Multi_Arch="same"),
                         stanza("libx1", "1.0", "i386", status=True, Multi_Arch="same"),
                         stanza("python3", "3.11", status=True, Multi_Arch="allowed"),
                         stanza("tool", "1.0", "all", status=True, Multi_Arch="foreign", Depends="python3:any"),
                         stanza("plugin", "1.0", "i386", status=True, Depends="tool")])
check("multi-arch", ["--new", A, "--new-suite", "trixie", "--arch", "amd64,i386", "--status", f"{S}/ma/status"],
      expect={"dist-upgrade": lambda r: assert_(
          sorted(x["package"] for x in r["upgraded"]) == ["libx1", "libx1:i386", "plugin:i386", "tool"], r["upgraded"])})

# 8b. the same archive over http (loopback server started and stopped here): same answer
srv = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", "0", "--directory", A],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    line = srv.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N ..."
    port = re.search(r"port (\d+)", line).group(1)
    args = ["--new-suite", "trixie", "--arch", "amd64,i386", "--status", f"{S}/ma/status"]
    p1 = run([HAPKG, "--json", "upgrade-check", "--new", f"http://127.0.0.1:{port}", "--allow-unsigned"] + args)
    p2 = run([HAPKG, "--json", "upgrade-check", "--new", A] + args)
    if p1.returncode != 0 or json.loads(p1.stdout)["upgraded"] != json.loads(p2.stdout)["upgraded"]:
        failures.append(f"http mirror input: {p1.returncode} {p1.stderr}")
    p3 = run([HAPKG, "upgrade-check", "--new", f"http://127.0.0.1:{port}", "--new-suite", "nosuch", "--arch", "amd64",
              "--allow-unsigned"])
    if p3.returncode != 2:
        failures.append(f"http unknown suite: exit {p3.returncode}")
    p3 = run([HAPKG, "upgrade-check", "--new", f"http://127.0.0.1:{port}", "--new-suite", "trixie", "--arch", "amd64"])
    if p3.returncode != 2 or "not signed" not in p3.stderr:  # unsigned archive, no --allow-unsigned
        failures.append(f"http unsigned without --allow-unsigned: exit {p3.returncode} {p3.stderr}")
finally:
    srv.kill()
    srv.wait()

# 8c. one pin per PPA (--pin INDEX=PRIO; --pin PRIO for all), against apt-get -s in an independent
#     root (apt-get update from the PPA archives) whose preferences, written here, pin each PPA by
#     the Origin its archive carries; the candidate of `tool` depends on the pins
PA, PB = f"{T}/ppa-a", f"{T}/ppa-b"
for d, origin, ver in ((PA, "ppa-a", "3.0~a"), (PB, "ppa-b", "1.5~b")):
    deb = mkdeb("tool", ver, "amd64")
    for c in (["archive", "init", "-A", d, "-s", "ppa", "--arch", "amd64", "--origin", origin],
              ["archive", "include", "-A", d, "-s", "ppa", deb], ["archive", "export", "-A", d]):
        subprocess.run([HAPKG] + c, check=True, capture_output=True)
write(f"{S}/pin/status", [stanza("tool", "1.0", status=True)])
write(f"{S}/pin/new/Packages", [stanza("tool", "2.0")])
R = f"{T}/pin-apt-root"
for sub in ("etc/apt/apt.conf.d", "etc/apt/preferences.d", "var/lib/apt/lists/partial",
            "var/cache/apt/archives/partial", "var/lib/dpkg", "var/log/apt"):
    os.makedirs(f"{R}/{sub}")
shutil.copy(f"{S}/pin/status", f"{R}/var/lib/dpkg/status")
with open(f"{R}/apt.conf", "w") as fh:
    fh.write(f'Dir "{R}/";\nDir::State::status "{R}/var/lib/dpkg/status";\nDebug::NoLocking "true";\n'
             f'APT::Sandbox::User "root";\nAPT::Architecture "amd64";\nAPT::Architectures {{ "amd64"; }};\n')
with open(f"{R}/etc/apt/sources.list", "w") as fh:
    fh.write(f"deb [trusted=yes] copy:{PA} ppa main\ndeb [trusted=yes] copy:{PB} ppa main\n"
             f"deb [trusted=yes] copy:{S}/pin/new ./\n")
apt_env = dict(os.environ, APT_CONFIG=f"{R}/apt.conf")
if run(["apt-get", "-q", "update"], env=apt_env).returncode != 0:
    failures.append("pin: apt-get update of the independent root failed")
for pins, want in (({PA: 1001, PB: 100}, "3.0~a"), ({PA: 100, PB: 1001}, "1.5~b"), ({PA: 100, PB: 100}, "2.0"),
                   ({PA: 600}, "3.0~a"), ({PB: 990}, "1.5~b"), ({}, "3.0~a"), ("100", "2.0")):
    args = ["--pin", pins] if isinstance(pins, str) else [a for p, v in pins.items() for a in ("--pin", f"{p}={v}")]
    p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", f"{S}/pin/new", "--status", f"{S}/pin/status",
             "--ppa", PA, "--ppa", PB, "--ppa-suite", "ppa"] + args)
    ours = json.loads(p.stdout)["final_versions"].get("tool") if p.returncode in (0, 1) else p.stderr
    if isinstance(pins, str):
        pins = {PA: int(pins), PB: int(pins)}
    with open(f"{R}/etc/apt/preferences.d/pins", "w") as fh:
        for d, v in pins.items():
            fh.write(f"Package: *\nPin: release o={'ppa-a' if d == PA else 'ppa-b'}\nPin-Priority: {v}\n\n")
    ref = run(["apt-get", "-s", "dist-upgrade"], env=apt_env)
    m = re.search(r"^Inst tool \[[^]]*\] \((\S+)", ref.stdout, re.M)
    theirs = m.group(1) if m else None
    if not (ours == theirs == want):
        failures.append(f"pin {pins}: hapkg {ours}, apt-get {theirs}, want {want}")
    print(f"pins {sorted((os.path.basename(k), v) for k, v in pins.items())}: tool -> hapkg {ours}, apt-get {theirs}")
p = run([HAPKG, "upgrade-check", "--arch", "amd64", "--new", f"{S}/pin/new", "--ppa", PA, "--pin", f"{T}/nope=5"])
if p.returncode != 2 or "no --ppa" not in p.stderr:
    failures.append(f"pin for an unknown PPA: exit {p.returncode} {p.stderr}")

# 9. --installed: the closure on the old release (+ Essential/required/important), as apt-get install computes it
write(f"{S}/closure/old/Packages", [
    stanza("base-files", "12", Essential="yes", Priority="required"), stanza("login", "1", Priority="required"),
    stanza("cron", "3", Priority="important", Recommends="cron-daemon-common"), stanza("cron-daemon-common", "3"),
    stanza("pacemaker", "2.1", Depends="corosync | corosync-alt, libqb", Recommends="pcs"),
    stanza("corosync", "3.1"), stanza("corosync-alt", "1"), stanza("libqb", "2.0"), stanza("pcs", "0.11"),
    stanza("unrelated", "1")])
write(f"{S}/closure/new/Packages", [
    stanza("base-files", "13", Essential="yes", Priority="required"), stanza("login", "1", Priority="required"),
    stanza("cron", "3", Priority="important", Recommends="cron-daemon-common"), stanza("cron-daemon-common", "3"),
    stanza("pacemaker", "3.0", Depends="corosync, libqb2", Recommends="pcs"),
    stanza("corosync", "3.1.9"), stanza("libqb2", "2.1", Replaces="libqb", Breaks="libqb (<< 2.1)"), stanza("pcs", "0.12")])
root = f"{T}/closure-root"
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--old", f"{S}/closure/old", "--installed", "pacemaker",
         "--new", f"{S}/closure/new", "--keep-root", root])
closure = set(re.findall(r"^Package: (\S+)", open(f"{root}/closure-status").read(), re.M))
write(f"{T}/empty-status", [])
oroot = f"{T}/closure-old-root"
run([HAPKG, "upgrade-check", "--arch", "amd64", "--new", f"{S}/closure/old", "--status", f"{T}/empty-status",
     "--keep-root", oroot])
ref = run(["apt-get", "-s", "install", "pacemaker", "base-files", "login", "cron"],
          env=dict(os.environ, APT_CONFIG=f"{oroot}/apt.conf"))
ref_set = set(re.findall(r"^Inst (\S+)", ref.stdout, re.M))
if closure != ref_set or "unrelated" in closure:
    failures.append(f"closure {sorted(closure)} != apt-get install {sorted(ref_set)}")
else:
    theirs = apt_sets(root, "dist-upgrade")
    r = json.loads(p.stdout)
    ours = ({x["package"] for x in r["upgraded"] + r["new"]}, {x["package"] for x in r["removed"]},
            {x["package"] for x in r["held"]})
    if ours != theirs:
        failures.append(f"closure dist-upgrade: hapkg {ours} != apt-get {theirs}")
    print(f"closure        {sorted(closure)}; dist-upgrade install={sorted(ours[0])} remove={sorted(ours[1])}")

# --scenarios with --junit: one run, JUnit XML, exit 1 because the PPA assertion fails
with open(f"{S}/scenarios", "w") as fh:
    fh.write(f"Name: plain\nNew: plain/new\nStatus: plain/status\nExpect-Installed: helper\nExpect-No-Removals: yes\n\n"
             f"Name: broken-ppa\nNew: ppa/new\nPPA: ppa/ppa\nStatus: ppa/status\nExpect-Version: resource-agents (>= 1:4.16)\n\n"
             f"Name: pinned-ppa\nNew: ppa/new\nPPA: ppa/ppa\nPin: ppa/ppa=100\nStatus: ppa/status\nExpect-Version: resource-agents (>= 1:4.16)\n\n"
             # same node state as `plain`, other mode: both checks fork from one opened cache
             f"Name: plain-upgrade\nNew: plain/new\nStatus: plain/status\nMode: upgrade\nExpect-No-Held: yes\n")
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--scenarios", f"{S}/scenarios", "--junit", f"{T}/junit.xml"])
if p.returncode != 1:
    failures.append(f"scenarios: exit {p.returncode} {p.stderr}")
else:
    reps = json.loads(p.stdout)
    if [r["ok"] for r in reps] != [True, False, True, False]:
        failures.append(f"scenarios: ok flags {[r['ok'] for r in reps]}")
    if ([x["package"] for x in reps[0]["new"]], [x["package"] for x in reps[3]["held"]]) != (["helper"], ["app"]):
        failures.append(f"scenarios sharing a cache: {reps[0]['new']} {reps[3]['held']}")
    suite = ET.parse(f"{T}/junit.xml").getroot()
    if suite.get("failures") != "2" or suite.get("tests") != "13":
        failures.append(f"junit: tests={suite.get('tests')} failures={suite.get('failures')}")
    held = [c.find("failure").get("message") for c in suite.iter("testcase")
            if c.get("classname") == "plain-upgrade" and c.get("name") == "no held back" and c.find("failure") is not None]
    if held != ["1 held back: app 1.0"]:  # the JUnit message names the package and its installed version
        failures.append(f"junit held-back message: {held}")
# text output names what happens
p = run([HAPKG, "upgrade-check", "--arch", "amd64", "--new", f"{S}/t64/new", "--status", f"{S}/t64/status"])
if p.returncode != 0 or "remove libfoo1 1.0 [replaced by libfoo1t64 (Provides) libfoo1t64 (Replaces)]" not in p.stdout:
    failures.append("text report: " + p.stdout + p.stderr)

# --cache-dir: a kept index set follows its input (new content, Packages replaced by Packages.xz)
C = f"{T}/cache"
write(f"{S}/cached/status", [stanza("app", "1.0", status=True)])
for ver, compress in (("2.0", False), ("3.0", True), ("4.0", False)):
    for f in glob.glob(f"{S}/cached/new/Packages*"):
        os.unlink(f)
    write(f"{S}/cached/new/Packages", [stanza("app", ver)])
    if compress:
        subprocess.run(["xz", f"{S}/cached/new/Packages"], check=True)
    p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", f"{S}/cached/new",
             "--status", f"{S}/cached/status", "--cache-dir", C])
    got = json.loads(p.stdout)["final_versions"].get("app") if p.returncode == 0 else p.stderr
    if got != ver:
        failures.append(f"--cache-dir run for app {ver}: got {got}")
# ... after a same-size rewrite of the index within apt's one-second mtime granularity
with open(f"{S}/cached/new/Packages") as fh:
    text = fh.read()
before = os.stat(f"{S}/cached/new/Packages").st_mtime_ns
with open(f"{S}/cached/new/Packages", "w") as fh:
    fh.write(text.replace("Version: 4.0", "Version: 4.1"))
same_second = before // 10**9 * 10**9 + (before % 10**9 + 5 * 10**8) % 10**9  # what apt compares: equal
os.utime(f"{S}/cached/new/Packages", ns=(same_second, same_second))
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", f"{S}/cached/new",
         "--status", f"{S}/cached/status", "--cache-dir", C])
if p.returncode != 0 or json.loads(p.stdout)["final_versions"].get("app") != "4.1":
    failures.append(f"--cache-dir after a same-size rewrite: {p.stdout} {p.stderr}")
with open(f"{S}/cached/new/Packages", "w") as fh:
    fh.write(text)
# ... and a status file changed within the same second, same size (only the parsed indices are kept)
write(f"{S}/cached/status", [stanza("app", "1.5", status=True)])
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", f"{S}/cached/new",
         "--status", f"{S}/cached/status", "--cache-dir", C])
if p.returncode != 0 or json.loads(p.stdout)["upgraded"] != [{"package": "app", "from": "1.5", "to": "4.0"}]:
    failures.append(f"--cache-dir with a changed status: {p.stdout} {p.stderr}")
if not glob.glob(f"{C}/new-*/srcpkgcache.bin"):
    failures.append("--cache-dir kept no srcpkgcache.bin")

# bad input: exit 2, one-line message, no report
shutil.copy(f"{S}/plain/new/Packages", f"{T}/Packages")
subprocess.run(["xz", "-f", f"{T}/Packages"], check=True)
with open(f"{T}/Packages.xz", "r+b") as fh:
    fh.truncate(40)
with open(f"{T}/garbage-status", "w") as fh:
    fh.write("Package: x\nthis is not a field line\n")
os.makedirs(f"{T}/nopkg")
with open(f"{T}/nopkg/Packages", "w") as fh:
    fh.write(stanza("app", "2.0") + "\n" + stanza("lib", "2.0").replace("Package: lib\n", ""))
with open(f"{T}/Release", "w") as fh:
    fh.write("Origin: Debian\nSuite: stable\nCodename: trixie\nArchitectures: amd64\nComponents: main\n")
os.makedirs(f"{T}/statusdir", exist_ok=True)
# each case: exit code, and what the one-line message must name (the user's file, and line where there is one)
bad = {"truncated index": (2, f"{T}/Packages.xz: corrupt or truncated", ["--new", f"{T}/Packages.xz", "--status", f"{S}/plain/status"]),
       "stanza without Package": (2, f"{T}/nopkg/Packages:13: stanza without a Package: field (not a Packages index?)", ["--new", f"{T}/nopkg", "--status", f"{S}/plain/status"]),
       "Release as --status": (2, f"{T}/Release:1: stanza without a Package: field", ["--new", f"{S}/plain/new", "--status", f"{T}/Release"]),
       "status is a directory": (2, f"{T}/statusdir: not a file", ["--new", f"{S}/plain/new", "--status", f"{T}/statusdir"]),
       "missing index": (2, f"{T}/nope", ["--new", f"{T}/nope", "--status", f"{S}/plain/status"]),
       "unknown arch": (2, "amd65", ["--new", f"{S}/plain/new", "--arch", "amd65"]),
       "arch without indices": (2, f"{S}/plain/new: no package for architecture 'i386'",
                                ["--new", f"{S}/plain/new", "--status", f"{S}/plain/status", "--arch", "i386"]),
       "missing status": (2, f"{T}/nostatus", ["--new", f"{S}/plain/new", "--status", f"{T}/nostatus"]),
       "corrupt status": (2, f"{T}/garbage-status:2", ["--new", f"{S}/plain/new", "--status", f"{T}/garbage-status"]),
       "bad mode": (2, "unknown --mode 'sideways'", ["--new", f"{S}/plain/new", "--mode", "sideways"]),
       "bad expect": (2, "--expect-version 'pacemaker >= 3'", ["--new", f"{S}/plain/new", "--expect-version", "pacemaker >= 3"]),
       "--pin without --ppa": (2, "--pin needs --ppa", ["--new", f"{S}/plain/new", "--pin", "1001"]),
       "--old with --status": (2, "--old is only used", ["--new", f"{S}/plain/new", "--old", f"{S}/plain/new", "--status", f"{S}/plain/status"]),
       "--extended-states without --status": (2, "--extended-states needs --status", ["--new", f"{S}/plain/new", "--extended-states", f"{S}/plain/status"]),
       "bad extended_states": (2, f"{S}/plain/status:1: stanza without Package: and Auto-Installed:",
                               ["--new", f"{S}/plain/new", "--status", f"{S}/plain/status", "--extended-states", f"{S}/plain/status"])}
for what, (code, names, args) in bad.items():
    p = run([HAPKG, "upgrade-check"] + ([] if "--arch" in args else ["--arch", "amd64"]) + args)
    err = p.stderr.strip()
    if p.returncode != code or p.stdout or len(err.splitlines()) != 1 or names not in err \
            or "/tmp/hapkg-upgrade" in err or "apt-get update" in err:
        failures.append(f"bad input '{what}': exit {p.returncode} (want {code}) out={p.stdout!r} err={p.stderr!r} "
                        f"(want one line naming {names!r})")
    else:
        print(f"bad input {what}: exit {p.returncode}: {err}")

# --scenarios: a broken scenario reports its own error (file:line) in its result and JUnit case; the rest run.
# Two broken checks share one node state with a good one (a group that forks from one cache).
with open(f"{T}/bad-scenarios", "w") as fh:
    fh.write(f"Name: fine\nNew: {S}/plain/new\nStatus: {S}/plain/status\n\n"
             f"Name: bad-status\nNew: {S}/plain/new\nStatus: {T}/garbage-status\n\n"
             f"Name: bad-mode\nNew: {S}/plain/new\nStatus: {S}/plain/status\nMode: dist_upgrade\n\n"
             f"Name: fine-too\nNew: {S}/plain/new\nStatus: {S}/plain/status\nMode: upgrade\n")
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--scenarios", f"{T}/bad-scenarios", "--junit", f"{T}/bad.xml"])
try:
    reps = json.loads(p.stdout)
    errs = [r.get("error", "") for r in reps]
    assert p.returncode == 2, f"exit {p.returncode}"
    assert [r["scenario"] for r in reps] == ["fine", "bad-status", "bad-mode", "fine-too"], reps
    assert "error" not in reps[0] and "error" not in reps[3] and reps[0]["ok"] and reps[3]["held"], reps
    assert errs[1].startswith(f"{T}/bad-scenarios:5: {T}/garbage-status:2"), errs[1]
    assert errs[2] == f"{T}/bad-scenarios:12: unknown Mode 'dist_upgrade' (dist-upgrade, upgrade, upgrade-new)", errs[2]
    assert len(p.stderr.strip().splitlines()) == 2 and errs[2] in p.stderr, p.stderr
    cases = {(c.get("classname"), c.get("name")): c for c in ET.parse(f"{T}/bad.xml").getroot().iter("testcase")}
    for name, e in (("bad-status", errs[1]), ("bad-mode", errs[2])):
        assert cases[(name, "scenario runs")].find("failure").get("message") == e, name
    assert cases[("fine", "dist-upgrade resolves")].find("failure") is None
    print("scenarios with broken members: exit 2, errors", errs[1:3])
except (AssertionError, ValueError, KeyError) as e:
    failures.append(f"scenarios with broken members: {e} {p.stdout[:300]} {p.stderr}")

# --extended-states (apt's auto flags): autoremovable equals apt-get's "no longer required" list
write(f"{S}/auto/status", [stanza("app", "1.0", status=True, Depends="libold"), stanza("libold", "1.0", status=True),
                           stanza("tool", "1.0", status=True), stanza("manual-lib", "1.0", status=True)])
write(f"{S}/auto/new/Packages", [stanza("app", "2.0", Depends="libnew"), stanza("libnew", "1.0"),
                                 stanza("libold", "1.0"), stanza("tool", "1.0", Depends="manual-lib"), stanza("manual-lib", "1.0")])
write(f"{S}/auto/extended_states", ["Package: libold\nArchitecture: amd64\nAuto-Installed: 1\n",
                                    "Package: manual-lib\nArchitecture: amd64\nAuto-Installed: 0\n"])
for how, args in (("option", ["--status", f"{S}/auto/status", "--extended-states", f"{S}/auto/extended_states"]),):
    root = f"{T}/auto-root"
    p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", f"{S}/auto/new", "--keep-root", root] + args)
    ref = run(["apt-get", "-s", "-o", "Debug::NoLocking=1", "dist-upgrade"], env=dict(os.environ, APT_CONFIG=f"{root}/apt.conf"))
    m = re.search(r"no longer required:\n((?:  .*\n)+)", ref.stdout)
    theirs = sorted(m.group(1).split()) if m else []
    ours = json.loads(p.stdout)["autoremovable"] if p.returncode == 0 else p.stderr
    if ours != theirs or theirs != ["libold"]:
        failures.append(f"--extended-states ({how}): hapkg {ours}, apt-get {theirs}, want ['libold']")
    print(f"extended_states {how}: autoremovable hapkg {ours}, apt-get {theirs}")
with open(f"{S}/auto-scenarios", "w") as fh:
    fh.write("Name: auto\nNew: auto/new\nStatus: auto/status\nExtended-States: auto/extended_states\n")
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--scenarios", f"{S}/auto-scenarios"])
if p.returncode != 0 or json.loads(p.stdout)[0]["autoremovable"] != ["libold"]:
    failures.append(f"Extended-States in a scenario file: {p.returncode} {p.stdout[:300]} {p.stderr}")

# PPA packages not installable on the new release: reported with the unmet relation (apt-get -s install agrees)
write(f"{S}/ppa2/status", [stanza("app", "1.0", status=True)])
write(f"{S}/ppa2/new/Packages", [stanza("app", "2.0"), stanza("libfmt10", "10.1")])
write(f"{S}/ppa2/ppa/Packages", [stanza("hapkg", "0.1~ppa1", Depends="libfmt9 (>= 9), libc6 | libc6.1"),
                                 stanza("ha-fine", "1.0", Depends="libfmt10"),
                                 stanza("ha-deep", "1.0", Depends="hapkg"), stanza("ha-old", "1.0", Depends="app (<< 2)")])
root = f"{T}/ppa2-root"
base_args = ["--arch", "amd64", "--new", f"{S}/ppa2/new", "--ppa", f"{S}/ppa2/ppa", "--status", f"{S}/ppa2/status"]
p = run([HAPKG, "--json", "upgrade-check", "--keep-root", root] + base_args)
try:
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    got = {(x["package"], x["version"]): x["unmet"] for x in r["ppa_uninstallable"]}
    # ha-old needs app (<< 2): the installed 1.0 has it, the new release does not
    assert got == {("ha-deep", "1.0"): ["Depends: hapkg"], ("ha-old", "1.0"): ["Depends: app (<< 2)"],
                   ("hapkg", "0.1~ppa1"): ["Depends: libc6 | libc6.1", "Depends: libfmt9 (>= 9)"]}, got
    assert [x["package"] for x in r["ppa_uninstallable"]] == ["ha-deep", "ha-old", "hapkg"], "sorted"
    for pkg in ("hapkg", "ha-fine", "ha-deep"):  # apt-get's verdict on the same root
        ref = run(["apt-get", "-s", "-o", "Debug::NoLocking=1", "install", pkg], env=dict(os.environ, APT_CONFIG=f"{root}/apt.conf"))
        assert (ref.returncode == 0) == ((pkg, "1.0") not in got and (pkg, "0.1~ppa1") not in got), (pkg, ref.stdout, ref.stderr)
    p = run([HAPKG, "upgrade-check", "--expect-ppa-installable", "--junit", f"{T}/ppa.xml"] + base_args)
    want = ("FAIL PPA packages installable (3 not installable: ha-deep 1.0 (Depends: hapkg), "
            "ha-old 1.0 (Depends: app (<< 2)), hapkg 0.1~ppa1 (Depends: libc6 | libc6.1; Depends: libfmt9 (>= 9)))\n")
    assert p.returncode == 1 and want in p.stdout, p.stdout
    assert "ppa-uninstallable hapkg 0.1~ppa1: Depends: libc6 | libc6.1; Depends: libfmt9 (>= 9);" in p.stdout, p.stdout
    msg = [c.find("failure").get("message") for c in ET.parse(f"{T}/ppa.xml").getroot().iter("testcase")
           if c.find("failure") is not None]
    assert msg and "hapkg 0.1~ppa1 (Depends: libc6 | libc6.1; Depends: libfmt9 (>= 9))" in msg[0], msg
    print("ppa installability:", sorted(got))
except (AssertionError, ValueError, KeyError) as e:
    failures.append(f"ppa installability: {e}")

# JUnit failure messages name the packages (and versions); every list is sorted
p = run([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", f"{S}/breaks/new", "--status", f"{S}/breaks/status",
         "--expect-no-removals", "--junit", f"{T}/rm.xml"])
msg = [c.find("failure").get("message") for c in ET.parse(f"{T}/rm.xml").getroot().iter("testcase") if c.find("failure") is not None]
if p.returncode != 1 or msg != ["2 removed: ha-custom 1.0, oldtool 1.0"]:
    failures.append(f"junit removal message: {p.returncode} {msg}")
r = json.loads(p.stdout)
for key in ("upgraded", "removed", "new", "held", "obsolete"):
    names = [x["package"] for x in r[key]]
    if names != sorted(names):
        failures.append(f"{key} not sorted: {names}")
# ... and in the text report (one "remove PKG VERSION ..." line each)
p = run([HAPKG, "upgrade-check", "--arch", "amd64", "--new", f"{S}/breaks/new", "--status", f"{S}/breaks/status"])
removed = [ln.split()[1] for ln in p.stdout.splitlines() if ln.lstrip().startswith("remove ")]
if p.returncode != 0 or removed != ["ha-custom", "oldtool"]:
    failures.append(f"text report removals (want sorted ['ha-custom', 'oldtool']): exit {p.returncode} {removed} {p.stdout[:400]}")
shutil.rmtree(T)
if failures:
    print("\n".join("FAIL: " + f for f in failures), file=sys.stderr)
    sys.exit(1)
print("upgrade_vs_apt: ok")
