#!/bin/bash
# Benchmark: hapkg report --format html over 100,000 work items in 2,000
# blueprints with 200 days of history (daily counts CSV), against a Python
# reference that parses the same files with Launchpad's own two regexes
# (lib/lp/services/fields WorkItemsText) and totals them.
# Usage: bench/tracker_report.sh [HAPKG]   (default: build/tools/cli/hapkg)
set -eu
HAPKG=$(realpath "${1:-build/tools/cli/hapkg}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import os, random, sys, datetime
random.seed(6)
d = sys.argv[1]; os.makedirs(d + '/bps')
st = ['TODO', 'DONE', 'POSTPONED', 'INPROGRESS', 'BLOCKED', 'done', 'Todo']
people = ['jdoe', 'ann', 'zoë', 'bob', 'kim', 'li', 'raj', 'ola']
for b in range(2000):
    with open(f'{d}/bps/bp-{b:04d}.txt', 'w') as f:
        f.write(f'Work items for ubuntu-26.10-beta-{b % 3}:\n')
        for i in range(50):
            who = '' if i % 7 == 0 else f'[{random.choice(people)}] '
            f.write(f'{who}task {i} of bp {b}: with colon: {random.choice(st)}\n')
            if i == 25: f.write('\nWork items:\n')
day = datetime.date(2026, 5, 1)
with open(d + '/hist.csv', 'w') as f:
    f.write('date,todo,done,postponed,inprogress,blocked\n')
    for k in range(200):
        done = 500 * k; f.write(f'{day + datetime.timedelta(k)},{100000 - done - 3000},{done},1000,1000,1000\n')
PY
cat > "$tmp/ref.py" <<'PY'
import re, sys, glob, collections
MILESTONE_RE = re.compile(r"^work items(.*)\s*:\s*$", re.I)
WORKITEM_RE = re.compile(r"^(\[(?P<assignee>.*?)\])?\s*(?P<title>.*)\s*:\s*(?P<status>.*)\s*$", re.I)
c = collections.Counter(); by = collections.defaultdict(collections.Counter)
for path in sorted(glob.glob(sys.argv[1] + '/bps/*.txt')):
    for line in open(path, encoding='utf-8'):
        line = line.strip()
        if not line or MILESTONE_RE.search(line): continue
        m = WORKITEM_RE.search(line); s = m.group('status').strip().upper() or 'TODO'
        c[s] += 1; by[m.group('assignee')][s] += 1
print(sum(c.values()), dict(c))
PY
now() { date +%s.%N; }
t0=$(now); "$HAPKG" report --format html --history "$tmp/hist.csv" --release-date 2026-12-01 -o "$tmp/r.html" "$tmp"/bps/*.txt; t1=$(now)
ref=$(python3 "$tmp/ref.py" "$tmp"); t2=$(now)
items=$(grep -o 'DONE / TOTAL = [0-9]*/[0-9]*' "$tmp/r.html")
python3 - "$t0" "$t1" "$t2" "$items" "$ref" "$(stat -c %s "$tmp/r.html")" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:4])
h, p = t1 - t0, t2 - t1
print(f"hapkg report --format html: {h:.3f} s ({sys.argv[4]}, page {int(sys.argv[6]) // 1024} KiB)")
print(f"python3 Launchpad-regex parse+totals only: {p:.3f} s ({sys.argv[5].split()[0]} items)")
print(f"ratio python/hapkg: {p / h:.2f}")
PY
