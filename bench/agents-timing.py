#!/usr/bin/python3
"""Median wall and CPU (user+sys) time of one command, over N runs.
usage: agents-timing.py N LABEL -- ENV=VAL... -- CMD ARGS... [--then CMD2 ARGS...]  (prints one line)
CMD2 (e.g. the stop after a measured start) runs after each CMD, unmeasured."""
import os, resource, statistics, subprocess, sys, time

n = int(sys.argv[1]); label = sys.argv[2]
rest = sys.argv[4:]
sep = rest.index("--")
env = dict(kv.split("=", 1) for kv in rest[:sep])
env.setdefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
cmd = rest[sep + 1:]
then = []
if "--then" in cmd:
    then = cmd[cmd.index("--then") + 1:]
    cmd = cmd[:cmd.index("--then")]
walls, cpus, rcs = [], [], set()
for _ in range(n):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    walls.append(time.perf_counter() - t)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    rcs.add(rc)
    if then:
        subprocess.run(then, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"{label:44s} wall {statistics.median(walls)*1000:8.2f} ms   cpu {statistics.median(cpus)*1000:7.2f} ms   rc {sorted(rcs)}  (n={n})")
print(f"#{label}\t{statistics.median(walls)*1000:.3f}\t{statistics.median(cpus)*1000:.3f}", file=sys.stderr)
