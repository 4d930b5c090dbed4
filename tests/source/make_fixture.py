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

def text(nbytes):
    parts, n = [], 0
    while n < nbytes:
        line = b" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) + b"\n"
        parts.append(line); n += len(line)
    return b"".join(parts)

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
subprocess.run(["tar", "-C", out, "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@%d" % T,
                "-czf", os.path.join(out, f"{src}_{upver}.orig.tar.gz"), f"{src}-{upver}"], check=True,
               env=dict(os.environ, GZIP="-n"))

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
os.makedirs(os.path.join(deb, "patches"), exist_ok=True)

# Patches: each a unified diff made with `diff -u`, from a scratch copy.
import shutil, tempfile
npatch = 22 if large else 3
series = []
work = tempfile.mkdtemp()
a, b = os.path.join(work, "a"), os.path.join(work, "b")
shutil.copytree(top, a, ignore=shutil.ignore_patterns("debian"))
for k in range(npatch):
    shutil.rmtree(b, ignore_errors=True)
    shutil.copytree(a, b)
    name = f"{k + 1:04d}-change-{k}.patch"
    kindk = k % 4
    if kindk == 0:  # modify two files
        for rel in rng.sample(files[:nfiles], 2):
            p = os.path.join(b, rel)
            data = open(p, "rb").read().split(b"\n")
            data.insert(len(data) // 2, b"/* patched by %s */" % name.encode())
            open(p, "wb").write(b"\n".join(data))
    elif kindk == 1:  # add a file
        p = os.path.join(b, f"added/new-{k}.txt")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(text(400))
    elif kindk == 2:  # delete a file
        rel = files.pop(rng.randrange(len(files) - 3))
        nfiles -= 1
        os.unlink(os.path.join(b, rel))
    else:  # modify a file with a non-ASCII or long name
        rel = files[-2] if k % 8 == 3 else files[-1]
        with open(os.path.join(b, rel), "ab") as f:
            f.write(b"appended\n")
    d = subprocess.run(["diff", "-Nru", "a", "b"], cwd=work, capture_output=True)
    header = f"Description: change {k}\nAuthor: Hapkg Tester <tester@example.org>\nForwarded: not-needed\nLast-Update: 2026-11-25\n---\n"
    body = b"".join(l + b"\n" for l in d.stdout.split(b"\n") if l and not l.startswith(b"diff "))
    with open(os.path.join(deb, "patches", name), "wb") as f:
        f.write(header.encode() + body)
    os.utime(os.path.join(deb, "patches", name), (T + 600, T + 600))
    series.append(name)
    shutil.rmtree(a)
    os.rename(b, a)
shutil.rmtree(work)
dput("patches/series", "# fixture series\n" + "".join(s + "\n" for s in series))
print(top)
