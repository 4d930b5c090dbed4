#!/bin/bash
# Benchmark: hapkg report --format html over 100,000 work items in 2,000
# blueprints with 200 days of history given as 200 dated snapshot
# directories (each the state of the 2,000 blueprint files that day; about
# 10% of the blueprints change each day), and as the files' git history
# (200 commits). Reference in the same run: Python with Launchpad's own two
# regexes (lib/lp/services/fields WorkItemsText) parsing the same files --
# the current files and every snapshot, on both cores -- whose per-day
# counts must equal hapkg's.
# Usage: bench/tracker_report.sh [HAPKG]   (default: build/tools/cli/hapkg)
set -eu
HAPKG=$(realpath "${1:-build/tools/cli/hapkg}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import os, random, sys, datetime, subprocess
random.seed(6)
d = sys.argv[1]
people = ['jdoe', 'ann', 'zoë', 'bob', 'kim', 'li', 'raj', 'ola']
spell = {'TODO': ['TODO', 'todo', 'Todo'], 'INPROGRESS': ['INPROGRESS', 'InProgress'], 'DONE': ['DONE', 'done'],
         'BLOCKED': ['BLOCKED'], 'POSTPONED': ['POSTPONED', 'postpone']}
NEXT = {'TODO': 'INPROGRESS', 'INPROGRESS': 'DONE', 'BLOCKED': 'INPROGRESS'}
who = [[('' if i % 7 == 0 else f'[{random.choice(people)}] ') for i in range(50)] for b in range(2000)]
state = [[random.choice(['TODO'] * 6 + ['BLOCKED', 'POSTPONED', 'INPROGRESS']) for i in range(50)] for b in range(2000)]
def text(b):
    out = [f'Work items for ubuntu-26.10-beta-{b % 3}:\n']
    for i in range(50):
        out.append(f'{who[b][i]}task {i} of bp {b}: with colon: {random.choice(spell[state[b][i]])}\n')
        if i == 25: out.append('\nWork items:\n')
    return ''.join(out).encode()
def write(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644); os.write(fd, data); os.close(fd)
day0 = datetime.date(2026, 5, 1)
cur = [text(b) for b in range(2000)]
os.makedirs(f'{d}/repo/bps')
subprocess.run(['git', 'init', '-q', f'{d}/repo'], check=True)
fi = subprocess.Popen(['git', '-C', f'{d}/repo', 'fast-import', '--quiet'], stdin=subprocess.PIPE)
for k in range(200):
    day = str(day0 + datetime.timedelta(k))
    changed = range(2000) if k == 0 else random.sample(range(2000), 200)
    for b in changed:
        if k:
            for i in random.sample(range(50), 3):
                state[b][i] = NEXT.get(state[b][i], state[b][i])
        cur[b] = text(b)
    for layout in ('copies', 'links'):
        os.makedirs(f'{d}/{layout}/{day}')
    for b in range(2000):
        name = f'bp-{b:04d}.txt'
        write(f'{d}/copies/{day}/{name}', cur[b])
        if k and b not in changed:
            os.link(f'{d}/links/{prev}/{name}', f'{d}/links/{day}/{name}')
        else:
            write(f'{d}/links/{day}/{name}', cur[b])
    ts = int(datetime.datetime.fromisoformat(day + 'T12:00:00+00:00').timestamp())
    msg = day.encode()
    s = f'commit refs/heads/main\ncommitter t <t@example.org> {ts} +0000\ndata {len(msg)}\n'.encode() + msg + b'\n'
    for b in changed:
        s += f'M 100644 inline bps/bp-{b:04d}.txt\ndata {len(cur[b])}\n'.encode() + cur[b] + b'\n'
    fi.stdin.write(s)
    prev = day
fi.stdin.close(); assert fi.wait() == 0
subprocess.run(['git', '-C', f'{d}/repo', 'checkout', '-q', 'main'], check=True)
os.makedirs(f'{d}/bps')
for b in range(2000):
    write(f'{d}/bps/bp-{b:04d}.txt', cur[b])
PY
cat > "$tmp/ref.py" <<'PY'
# Launchpad's WorkItemsText rules; per-day counts of every snapshot, on every core.
import re, sys, os, collections, multiprocessing
MILESTONE_RE = re.compile(r"^work items(.*)\s*:\s*$", re.I)
WORKITEM_RE = re.compile(r"^(\[(?P<assignee>.*?)\])?\s*(?P<title>.*)\s*:\s*(?P<status>.*)\s*$", re.I)
ORDER = ['TODO', 'DONE', 'POSTPONED', 'INPROGRESS', 'BLOCKED']
def count(dir):
    c = collections.Counter()
    for name in sorted(os.listdir(dir)):
        for line in open(os.path.join(dir, name), encoding='utf-8'):
            line = line.strip()
            if not line or MILESTONE_RE.search(line): continue
            s = WORKITEM_RE.search(line).group('status').strip().upper() or 'TODO'
            c['POSTPONED' if s == 'POSTPONE' else s] += 1
    return os.path.basename(dir) + ',' + ','.join(str(c[s]) for s in ORDER)
if __name__ == '__main__':
    count(sys.argv[1] + '/bps')
    days = sorted(os.listdir(sys.argv[2]))
    with multiprocessing.Pool() as p:
        print('\n'.join(p.map(count, [os.path.join(sys.argv[2], x) for x in days], chunksize=4)))
PY
cd "$tmp"
now() { date +%s.%N; }
declare -A T
run() {  # run LABEL ARGS...: time one hapkg report run
  local label=$1; shift
  local t0; t0=$(now)
  "$HAPKG" report --format html --release-date 2026-12-01 -o "$tmp/$label.html" "$@" bps/*.txt
  T[$label]=$(python3 -c "print(f'{$(now) - $t0:.3f}')")
}
run copies_nocache --history copies
run copies_cache_first --history copies --history-cache "$tmp/copies.cache"
run copies_cache_warm --history copies --history-cache "$tmp/copies.cache"
run links_nocache --history links
(cd repo && t0=$(now) && "$HAPKG" report --format html --release-date 2026-12-01 --git -o "$tmp/git.html" bps/*.txt \
  && echo "${t0}" > "$tmp/git.t0" && now > "$tmp/git.t1")
T[git]=$(python3 -c "print(f'{$(cat git.t1) - $(cat git.t0):.3f}')")
t0=$(now); python3 ref.py "$tmp" copies > ref.csv; T[python]=$(python3 -c "print(f'{$(now) - $t0:.3f}')")
# Same per-day counts from every way in, and the same as the reference.
"$HAPKG" report --format csv --history copies bps/*.txt | tail -n +2 > copies.csv
"$HAPKG" report --format csv --history links bps/*.txt | tail -n +2 > links.csv
(cd repo && "$HAPKG" report --format csv --git bps/*.txt) | tail -n +2 > git.csv
for f in copies links git; do cmp -s ref.csv $f.csv || { echo "MISMATCH: $f history differs from the reference"; diff ref.csv $f.csv | head; exit 1; }; done
cmp -s copies_nocache.html copies_cache_warm.html && cmp -s copies_nocache.html links_nocache.html && cmp -s copies_nocache.html git.html \
  || { echo "MISMATCH: the pages differ"; exit 1; }
echo "per-day counts: identical to the python reference for snapshot copies, hard-linked snapshots and git (200 days)"
echo "data: $(du -sh copies | cut -f1) in $(find copies -type f | wc -l) snapshot files (copies); page $(($(stat -c %s copies_nocache.html) / 1024)) KiB"
for k in copies_nocache copies_cache_first copies_cache_warm links_nocache git; do
  printf '%-20s %7s s   ratio python/hapkg %s\n' "$k" "${T[$k]}" "$(python3 -c "print(f'{${T[python]} / ${T[$k]}:.1f}')")"
done
printf '%-20s %7s s   (Launchpad regexes, per-day counts of the 200 snapshot copies, all cores)\n' python "${T[python]}"
