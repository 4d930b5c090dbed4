#!/usr/bin/env python3
"""Benchmark / opt-in real-data check: bookworm -> trixie (main, amd64) for
the HA stack with hapkg upgrade-check vs apt-get -s dist-upgrade on the same
sandbox root, in the same run; plus ten scenarios in one run, and
`hapkg archive export` vs `apt-ftparchive packages` for N .debs.

The mirror is read from this machine's apt sources at run time.
Usage: bench/upgrade_check_bench.py HAPKG [--debs 3000] [--skip-archive] [--skip-upgrade]"""
import glob, json, lzma, os, re, shutil, subprocess, sys, tempfile, time, urllib.request

HAPKG = os.path.abspath(sys.argv[1])
NDEBS = int(sys.argv[sys.argv.index("--debs") + 1]) if "--debs" in sys.argv else 3000
HA = "pacemaker,corosync,resource-agents,crmsh,pcs,drbd-utils,fence-agents"
CACHE = os.environ.get("HAPKG_BENCH_CACHE", os.path.expanduser("~/.cache/hapkg-bench"))


def mirror():
    """The Debian mirror of the machine's apt sources (deb822 or one-line)."""
    for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for para in open(f).read().split("\n\n"):
            fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", para, re.M))
            if "bookworm" in fields.get("Suites", "").split() and "main" in fields.get("Components", ""):
                return fields["URIs"].split()[0].rstrip("/")
    for f in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        if os.path.exists(f):
            for m in re.finditer(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+bookworm\s+.*\bmain\b", open(f).read(), re.M):
                return m.group(1).rstrip("/")
    sys.exit("no Debian mirror for bookworm main in the apt sources")


def fetch(base, suite):
    d = f"{CACHE}/{suite}"
    if not os.path.exists(f"{d}/Packages"):
        os.makedirs(d, exist_ok=True)
        for name, url in (("Release", f"{base}/dists/{suite}/Release"),
                          ("Packages.xz", f"{base}/dists/{suite}/main/binary-amd64/Packages.xz")):
            try:
                urllib.request.urlretrieve(url, f"{d}/{name}")
            except Exception as e:
                sys.exit(f"cannot fetch {url}: {e}")
        with lzma.open(f"{d}/Packages.xz") as src, open(f"{d}/Packages", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.unlink(f"{d}/Packages.xz")
    return d


def timed_rss(argv, env=None, cwd=None):
    """Runs argv, returns (rc, out, seconds, peak RSS MB incl. waited-for children)."""
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out:
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            if cwd:
                os.chdir(cwd)
            os.execvpe(argv[0], argv, env or os.environ)
        _, status, ru = os.wait4(pid, 0)
        dt = time.monotonic() - t0
        out.seek(0)
        return os.waitstatus_to_exitcode(status), out.read().decode(), dt, ru.ru_maxrss / 1024


def apt_sets(text):
    inst = set(re.findall(r"^Inst (\S+)", text, re.M))
    remv = set(re.findall(r"^Remv (\S+)", text, re.M))
    m = re.search(r"kept back:\n((?:  .*\n)+)", text)
    return inst, remv, set(m.group(1).split()) if m else set()


def load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def upgrade_bench():
    base = mirror()
    print(f"mirror: (from the apt sources) indices cached in {CACHE}; load average at start {load()}")
    bw, tx = fetch(base, "bookworm"), fetch(base, "trixie")
    T = tempfile.mkdtemp()
    root = f"{T}/root"
    rc, out, dt, rss = timed_rss([HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--old", bw, "--installed", HA,
                                  "--new", tx, "--keep-root", root])
    print(f"closure + check (cold): exit {rc}, {dt:.2f} s, {rss:.0f} MB")
    status = f"{T}/status"
    shutil.copy(f"{root}/closure-status", status)
    cache_dir = f"{T}/cache"
    rows = []
    for mode, cmd in (("dist-upgrade", ["dist-upgrade"]), ("upgrade", ["upgrade"]),
                      ("upgrade-new", ["upgrade", "--with-new-pkgs"])):
        r2 = f"{T}/root-{mode}"
        shutil.copytree(root, r2, symlinks=True)
        args = [HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--new", tx, "--status", status, "--mode", mode]
        # cold: every index parsed in this run (no cache); warm: --cache-dir whose srcpkgcache.bin a run made before
        cold = min(timed_rss(args + ["--keep-root", r2])[2:] for _ in range(3))
        timed_rss(args + ["--cache-dir", cache_dir])
        warm = min(timed_rss(args + ["--cache-dir", cache_dir])[2:] for _ in range(3))
        rc, out, _, _ = timed_rss(args + ["--keep-root", r2])
        r = json.loads(out)
        # the same root: extended_states (auto flags) from the closure
        ours = ({x["package"] for x in r["upgraded"] + r["new"] + r["downgraded"]},
                {x["package"] for x in r["removed"]}, {x["package"] for x in r["held"]})
        env = dict(os.environ, APT_CONFIG=f"{r2}/apt.conf")
        # apt-get cold: no pkgcache.bin / srcpkgcache.bin (it writes both); warm: the next run uses them
        for f in glob.glob(f"{r2}/index-sets/*/srcpkgcache.bin") + glob.glob(f"{r2}/var/cache/apt/*.bin"):
            os.unlink(f)
        arc, aout, acold, arss = timed_rss(["apt-get", "-s", "-o", "Debug::NoLocking=1"] + cmd, env=env)
        _, aout2, awarm, arss2 = timed_rss(["apt-get", "-s", "-o", "Debug::NoLocking=1"] + cmd, env=env)
        theirs = apt_sets(aout)
        same = ours == theirs and theirs == apt_sets(aout2)
        rows.append((mode, same, cold, warm, (acold, arss), (awarm, arss2)))
        print(f"{mode:12} hapkg {len(r['upgraded'])} upgraded / {len(r['new'])} new / {len(ours[1])} removed / "
              f"{len(ours[2])} held | identical sets: {same}\n"
              f"  cold: hapkg {cold[0]:.2f} s {cold[1]:.0f} MB | apt-get -s {acold:.2f} s {arss:.0f} MB | "
              f"ratio {acold / cold[0]:.1f}x\n"
              f"  warm: hapkg {warm[0]:.2f} s {warm[1]:.0f} MB | apt-get -s {awarm:.2f} s {arss2:.0f} MB | "
              f"ratio {awarm / warm[0]:.1f}x")
        if not same:
            print("  only hapkg:", [sorted(a - b) for a, b in zip(ours, theirs)])
            print("  only apt-get:", [sorted(b - a) for a, b in zip(ours, theirs)])
        if mode == "dist-upgrade":
            for p in HA.split(","):
                print(f"  {p}: {r['final_versions'].get(p)}")
    # ten scenarios in one run (one index set parsed once, checks in parallel)
    with open(f"{T}/scenarios", "w") as fh:
        for i in range(10):
            mode = ("dist-upgrade", "upgrade", "upgrade-new")[i % 3]
            fh.write(f"Name: s{i}\nNew: {tx}\nStatus: {status}\nMode: {mode}\nExpect-Installed: pacemaker\n\n")
    sc = [HAPKG, "--json", "upgrade-check", "--arch", "amd64", "--scenarios", f"{T}/scenarios"]
    rc, out, dt, rss = timed_rss(sc)
    print(f"ten scenarios in one run, cold: exit {rc}, {dt:.2f} s, peak {rss:.0f} MB (largest process)")
    rc2, _, dt2, rss2 = timed_rss(sc + ["--cache-dir", cache_dir])
    print(f"ten scenarios in one run, warm --cache-dir: exit {rc2}, {dt2:.2f} s, peak {rss2:.0f} MB")
    print(f"load average at end {load()}")
    shutil.rmtree(T)
    if not all(row[1] for row in rows) or rc != 0 or rc2 != 0:
        print("FAIL: hapkg and apt-get -s disagree (or the scenarios run failed)")
        sys.exit(1)
    return rows


def archive_bench():
    T = tempfile.mkdtemp()
    os.makedirs(f"{T}/debs")
    t0 = time.monotonic()
    for i in range(NDEBS):
        d = f"{T}/b/p{i}"
        os.makedirs(f"{d}/DEBIAN")
        with open(f"{d}/DEBIAN/control", "w") as fh:
            fh.write(f"Package: pkg{i}\nVersion: 1.{i}-1\nArchitecture: amd64\nMaintainer: T <t@example.org>\n"
                     f"Installed-Size: 1\nDepends: libc6 (>= 2.36)\nSection: admin\nPriority: optional\n"
                     f"Description: bench {i}\n long text\n")
    procs = []
    for i in range(NDEBS):  # two at a time
        procs.append(subprocess.Popen(["dpkg-deb", "-Zgzip", "-z1", "--root-owner-group", "-b", f"{T}/b/p{i}",
                                       f"{T}/debs/pkg{i}_1.{i}-1_amd64.deb"], stdout=subprocess.DEVNULL))
        if len(procs) >= 2:
            procs.pop(0).wait()
    for p in procs:
        p.wait()
    print(f"built {NDEBS} .debs in {time.monotonic() - t0:.1f} s")
    A = f"{T}/repo"
    subprocess.run([HAPKG, "archive", "init", "-A", A, "-s", "bench", "--arch", "amd64"], check=True)
    rc, _, dt, rss = timed_rss([HAPKG, "archive", "include", "-A", A, "-s", "bench"] + sorted(glob.glob(f"{T}/debs/*.deb")))
    print(f"hapkg archive include {NDEBS} debs: {dt:.2f} s, {rss:.0f} MB (exit {rc})")
    ex, ftp = [], []
    for _ in range(5):  # interleaved, best of five each (the machine is shared)
        ex.append(timed_rss([HAPKG, "archive", "export", "-A", A])[2])
        ftp.append(timed_rss(["apt-ftparchive", "packages", "pool"], cwd=A)[2])
    ex, ftp = min(ex), min(ftp)
    print(f"export (Packages+gz+xz+Release): hapkg {ex:.2f} s | apt-ftparchive packages {ftp:.2f} s | ratio {ftp / ex:.2f}x")
    shutil.rmtree(T)


if __name__ == "__main__":
    print(subprocess.run(["apt-get", "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    if "--skip-upgrade" not in sys.argv:
        upgrade_bench()
    if "--skip-archive" not in sys.argv:
        archive_bench()
