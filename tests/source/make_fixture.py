#!/usr/bin/env python3
"""Generates a 3.0 (quilt) source package fixture deterministically.

make_fixture.py OUTDIR small|large
Writes OUTDIR/<src>_<upver>.orig.tar.gz and OUTDIR/<src>-<upver>/ (upstream
tree + debian/ with a patch series, patches unapplied). The large one has
>= 50 MB and >= 5000 files, >= 20 patches (additions, deletions, mode
changes), long (>100 byte) and non-ASCII names.
"""
import os, random, subprocess, sys

out, kind = sys.argv[1], sys.argv[2]
large = kind == "large"
src, upver, ver = "hafix", "1.2.3", "1.2.3-1ubuntu1~ppa1"
rng = random.Random(42)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(4000)]
top = os.path.join(out, f"{src}-{upver}")
os.makedirs(top)
T = 1700000000

pool = [b" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) + b"\n" for _ in range(20000)]
def text(nbytes):
    return b"".join(rng.choices(pool, k=max(1, nbytes // 45)))

def put(rel, data, mode=0o644):
    p = os.path.join(top, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    os.chmod(p, mode)
    os.utime(p, (T, T))

nfiles = 5200 if large else 30
size = 10000 if large else 600
files = []
for i in range(nfiles):
    d = f"src/mod{i % 97:02d}" if large else "src"
    rel = f"{d}/file{i:05d}.c"
    files.append(rel)
    put(rel, text(rng.randint(size // 2, size * 3 // 2)))
long_dir = "docs/" + "a-rather-long-directory-name-for-tar-longlink-headers/" * 2
put(long_dir + "x" * 40 + ".txt", text(300))
files.append(long_dir + "x" * 40 + ".txt")
put("docs/ünïcödé-fïlé.txt", "Grüße\n".encode() * 20)
files.append("docs/ünïcödé-fïlé.txt")
put("configure", b"#!/bin/sh\necho configured\n" * 5, 0o755)
tarpath = os.path.join(out, f"{src}_{upver}.orig.tar")
subprocess.run(["tar", "-C", out, "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@%d" % T,
                "-cf", tarpath, f"{src}-{upver}"], check=True)
subprocess.run(["gzip", "-n", "-1", tarpath], check=True)

deb = os.path.join(top, "debian")
def dput(rel, data, mode=0o644, mtime=T + 500):
    p = os.path.join(deb, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(data)
    os.chmod(p, mode)
    os.utime(p, (mtime, mtime))

dput("changelog", f"""{src} ({ver}) jammy; urgency=medium

  * PPA build of the fixture. (LP: #2001234)
  * Fix things. (Closes: #998877)

 -- Hapkg Tester <tester@example.org>  Wed, 25 Nov 2026 00:35:05 +0000

{src} (1.2.2-1) unstable; urgency=low

  * Older release.

 -- Hapkg Tester <tester@example.org>  Mon, 02 Jan 2023 10:00:00 +0100
""")
dput("control", f"""Source: {src}
Section: admin
Priority: optional
Maintainer: Hapkg Tester <tester@example.org>
XSBC-Original-Maintainer: Debian HA <debian-ha@lists.debian.org>
Build-Depends: debhelper-compat (= 13),libfoo-dev(>=1.0) , bar [amd64] | baz
Standards-Version: 4.6.2
Homepage: https://example.org/hafix
Vcs-Git: https://example.org/hafix.git
Rules-Requires-Root: no

Package: hafix
Architecture: any
Depends: ${{shlibs:Depends}}, ${{misc:Depends}}
Description: fixture package
 Long description.

Package: hafix-doc
Architecture: all
Section: doc
Description: fixture docs
 Long description.
""")
dput("rules", "#!/usr/bin/make -f\n%:\n\tdh $@\n", 0o755)
dput("source/format", "3.0 (quilt)\n")
dput("copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2026 Nobody\nLicense: GPL-2+\n", mtime=T - 1000)
dput("tests/control", "Tests: smoke\nDepends: @, python3\n")
dput("tests/smoke", "#!/bin/sh\ntrue\n", 0o755)
dput(("long-" * 25) + "name.txt", "long name in debian/\n")
# GNU tar's LongLink threshold: names of 99, 100 (file and directory) and
# 101 bytes, and a symlink target over 100 bytes.
dput("q" * 92, "99\n")
dput("r" * 93, "100\n")
dput("s" * 94, "101\n")
dput("d" * 92 + "/f", "dir of 100 with the slash\n")
os.symlink("./" * 10 + "s" * 94, os.path.join(deb, "longlink"))
os.utime(os.path.join(deb, "longlink"), (T, T), follow_symlinks=False)
os.makedirs(os.path.join(deb, "patches"), exist_ok=True)

# Patches: unified diffs made with difflib from the current (patched) state.
import difflib
npatch = 22 if large else 3
series = []
state = {}  # rel -> bytes or None (deleted), for files touched so far
def cur(rel):
    if rel not in state:
        with open(os.path.join(top, rel), "rb") as f:
            state[rel] = f.read()
    return state[rel]
def udiff(rel, old, new):
    ol = [l + "\n" for l in old.decode().split("\n")[:-1]] if old is not None else []
    nl = [l + "\n" for l in new.decode().split("\n")[:-1]] if new is not None else []
    a = "a/" + rel if old is not None else "/dev/null"
    b = "b/" + rel if new is not None else "/dev/null"
    return "".join(difflib.unified_diff(ol, nl, a, b, n=3)).encode()
for k in range(npatch):
    name = f"{k + 1:04d}-change-{k}.patch"
    kindk = k % 4
    body = b""
    if kindk == 0:  # modify two files
        for rel in sorted(rng.sample(files[:nfiles], 2)):
            old = cur(rel)
            lines = old.split(b"\n")
            lines.insert(len(lines) // 2, b"/* patched by %s */" % name.encode())
            new = b"\n".join(lines)
            body += udiff(rel, old, new); state[rel] = new
    elif kindk == 1:  # add a file
        rel = f"added/new-{k}.txt"
        new = text(400); body += udiff(rel, None, new); state[rel] = new
    elif kindk == 2:  # delete a file
        rel = files.pop(rng.randrange(nfiles - 3))
        nfiles -= 1
        body += udiff(rel, cur(rel), None); state[rel] = None
    else:  # modify a file with a non-ASCII or long name
        rel = files[-2] if k % 8 == 3 else files[-1]
        old = cur(rel); new = old + b"appended\n"
        body += udiff(rel, old, new); state[rel] = new
    header = f"Description: change {k}\nAuthor: Hapkg Tester <tester@example.org>\nForwarded: not-needed\nLast-Update: 2026-11-25\n---\n"
    with open(os.path.join(deb, "patches", name), "wb") as f:
        f.write(header.encode() + body)
    os.utime(os.path.join(deb, "patches", name), (T + 600, T + 600))
    series.append(name)
dput("patches/series", "# fixture series\n" + "".join(s + "\n" for s in series))
print(top)
