#!/bin/bash
# hapkg report end to end: strict/lenient parsing, linked checks against a
# Sources index, history from dated snapshots and from git, and the HTML
# page opened in headless Chromium (screenshot pixels in the chart, DOM
# tables). Usage: report_cli.sh HAPKG
set -u
HAPKG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
cd "$tmp"

# --- blueprints -------------------------------------------------------------
cat > Sources <<'SRC'
Package: resource-agents-openstack
Version: 1.0-1
Binary: resource-agents-openstack

Package: pacemaker
Version: 2.1.5-1
Binary: pacemaker
SRC
mkdir bps
printf 'Work items for ubuntu-24.04-beta:\r\n[jdoe] package pacemaker 2.1.5: DONE\r\n[jdoe] upload agents {archive-has resource-agents-openstack in %s/Sources}: TODO\r\n\r\n[zoë] review: url http://x/y: inprogress\r\n' "$tmp" > bps/ha-stack.txt
printf 'Work items:\n[ann] corosync 3 {archive-has corosync in %s/Sources}: DONE\nwrite docs: postpone\n[ann] blocked on [upstream]: BLOCKED\n' "$tmp" > bps/docs.txt

# strict: a bad line is an error naming file:line, exit 2, nothing written
printf 'Work items:\n[a] fine: DONE\nthis line has no status\n' > bad.txt
"$HAPKG" report -o out.md bad.txt 2> err; rc=$?
if [ $rc = 2 ] && grep -q 'bad.txt:3: not a work item' err && [ ! -e out.md ]; then ok "strict error: $(cat err)"
else bad "strict: rc=$rc $(cat err)"; fi
"$HAPKG" report --lenient --format json bad.txt > lenient.json 2> err; rc=$?
if [ $rc = 0 ] && grep -q 'bad.txt:3' err && python3 -c 'import json,sys; j=json.load(open("lenient.json")); sys.exit(0 if len(j["problems"])==1 and j["totals"]["total"]==1 else 1)'
then ok "lenient: counted, warned"; else bad "lenient: rc=$rc $(cat err)"; fi

# --- history: snapshots ------------------------------------------------------
for d in 01 02 03 04 05 06 07 08 09 10; do
  mkdir -p "hist/2026-11-$d"
  n=$((10#$d))
  { echo "Work items:"; for i in $(seq 1 20); do
      if [ "$i" -le $((n * 2)) ]; then s=DONE; elif [ "$i" -eq 20 ]; then s=BLOCKED; else s=TODO; fi
      echo "[p$((i % 3))] item $i: $s"; done; } > "hist/2026-11-$d/bp.txt"
done
"$HAPKG" report --format html --history hist --release-date 2026-11-20 -o report.html bps/*.txt 2> err; rc=$?
# agents not in Sources but TODO: agrees; corosync DONE but absent: mismatch -> exit 1
if [ $rc = 1 ] && grep -q 'docs.txt:2: written DONE but the check says not done' err; then ok "check mismatch flagged"
else bad "checks: rc=$rc $(cat err)"; fi
"$HAPKG" report --format csv --history hist -o hist.csv bps/*.txt 2>/dev/null
"$HAPKG" report --format html --history hist.csv --release-date 2026-11-20 -o report2.html bps/*.txt 2>/dev/null
[ "$(sed -n 2p hist.csv)" = "2026-11-01,17,2,0,0,1" ] && cmp -s report.html report2.html && ok "CSV history gives the same page" \
  || bad "CSV history: $(head -3 hist.csv)"
# --history-cache: same page on the first (writing) and second (reading) run; a changed snapshot file is recounted
"$HAPKG" report --format html --history hist --history-cache hist.cache --release-date 2026-11-20 -o r3.html bps/*.txt 2>/dev/null
"$HAPKG" -v report --format html --history hist --history-cache hist.cache --release-date 2026-11-20 -o r4.html bps/*.txt 2> err4
sed -i 's/item 1: DONE/item 1: TODO/' hist/2026-11-05/bp.txt
"$HAPKG" -v report --format csv --history hist --history-cache hist.cache bps/*.txt > hist5.csv 2> err5
if cmp -s report.html r3.html && cmp -s report.html r4.html && grep -q '10 snapshots from the cache' err4 \
   && grep -q '9 snapshots from the cache' err5 && [ "$(sed -n 6p hist5.csv)" = "2026-11-05,10,9,0,0,1" ]; then
  ok "history cache: same page, changed snapshot recounted"
else bad "history cache: $(grep -h 'snapshots' err4 err5) $(sed -n 6p hist5.csv)"; fi
sed -i 's/item 1: TODO/item 1: DONE/' hist/2026-11-05/bp.txt
printf 'date,todo,done,postponed,inprogress,blocked\n2026-11-02,1,2,3,4,5\n2026-11-01,1,2,3,4,5\n' > badhist.csv
"$HAPKG" report --history badhist.csv bps/*.txt > /dev/null 2> err; rc=$?
[ $rc = 2 ] && grep -q 'badhist.csv:3: dates must increase' err && ok "bad CSV: $(cat err)" || bad "bad CSV: rc=$rc $(cat err)"
grep -q '<svg id="burndown"' report.html && ! grep -Eq '(src|href)="https?:' report.html && ok "self-contained HTML" || bad "html"

# --- chromium: screenshot and DOM ------------------------------------------
chrome() {
  local profile; profile=$(mktemp -d)
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" "$@" 2>/dev/null
  local rc=$?; rm -rf "$profile"; return $rc
}
chrome --window-size=1000,1400 --screenshot="$tmp/shot.png" "file://$tmp/report.html" > /dev/null
if [ ! -s shot.png ]; then bad "chromium wrote no screenshot"; else
  # The SVG sits below the h1 and the completion line: x 50..880, y ~150..450.
  python3 "$HERE/png_region.py" shot.png 60 120 880 480 d9534f 5cb85c f0ad4e 000000 > px.txt
  nonwhite=$(awk '$1=="nonwhite"{print $2}' px.txt); red=$(awk '$1=="d9534f"{print $2}' px.txt)
  green=$(awk '$1=="5cb85c"{print $2}' px.txt); black=$(awk '$1=="000000"{print $2}' px.txt)
  if [ "$nonwhite" -gt 20000 ] && [ "$red" -gt 2000 ] && [ "$green" -gt 2000 ] && [ "$black" -gt 50 ]; then
    ok "screenshot: chart drawn (nonwhite=$nonwhite todo=$red done=$green ideal-line=$black)"
  else bad "screenshot: $(tr '\n' ' ' < px.txt)"; fi
  # a blank page must fail the same check
  echo '<html><body></body></html>' > blank.html
  chrome --window-size=1000,1400 --screenshot="$tmp/blank.png" "file://$tmp/blank.html" > /dev/null
  blank=$(python3 "$HERE/png_region.py" blank.png 60 120 880 480 | awk '$1=="nonwhite"{print $2}')
  [ "$blank" -lt 100 ] && ok "blank page has no chart (nonwhite=$blank)" || bad "blank page nonwhite=$blank"
fi
chrome --dump-dom "file://$tmp/report.html" > dom.html
python3 - "$tmp/dom.html" <<'PY' && ok "DOM: tables and chart rendered" || bad "DOM check"
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s): super().__init__(); s.ids=set(); s.rows={}; s.cur=None; s.rects=0; s.text=[]
    def handle_starttag(s, t, a):
        a=dict(a)
        if 'id' in a: s.ids.add(a['id'])
        if t=='table': s.cur=a.get('id')
        if t=='tr' and s.cur: s.rows[s.cur]=s.rows.get(s.cur,0)+1
        if t=='rect' and a.get('class') in ('todo','done','blocked'): s.rects+=1
    def handle_data(s, d): s.text.append(d)
p=P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); text=''.join(p.text)
need={'totals':2,'by-assignee':5,'by-milestone':3,'by-blueprint':3,'checks':3}
ok=all(p.rows.get(k,0)==v for k,v in need.items()) and 'burndown' in p.ids and 'ideal' in p.ids and p.rects>=20
ok=ok and 'zoë' in text and '(mismatch)' in text and 'DONE / (TOTAL − POSTPONED) = 2/5' in text
if not ok: print(p.rows, p.ids, p.rects, text[:300])
sys.exit(0 if ok else 1)
PY

# --- the blueprint's own items (14: 4 DONE, 10 POSTPONED), one snapshot -------
# No history: the page still draws today's counts (per status, per assignee),
# lists every item per assignee and per blueprint, and heads with both figures.
mkdir own
for f in "$HERE"/fixtures/blueprint/*.txt; do sed "s|@SOURCES@|$tmp/Sources|g" "$f" > "own/$(basename "$f")"; done
"$HAPKG" report --format html -o own.html own/*.txt 2> err; rc=$?
[ $rc = 0 ] && ok "own blueprint: report written" || bad "own blueprint: rc=$rc $(cat err)"
chrome --window-size=1000,1400 --screenshot="$tmp/own.png" "file://$tmp/own.html" > /dev/null
if [ ! -s own.png ]; then bad "chromium wrote no screenshot of the snapshot page"; else
  # The snapshot chart sits below the h1, the headline and "Today": y ~150..480.
  python3 "$HERE/png_region.py" own.png 40 100 960 560 5cb85c aaaaaa d9534f > own_px.txt
  green=$(awk '$1=="5cb85c"{print $2}' own_px.txt); grey=$(awk '$1=="aaaaaa"{print $2}' own_px.txt)
  red=$(awk '$1=="d9534f"{print $2}' own_px.txt)
  # DONE bars (4 items) in green, POSTPONED (10) in grey: 2.5 times the area; no TODO bar at all.
  if [ "$green" -gt 1500 ] && [ "$grey" -gt $((green * 2)) ] && [ "$grey" -lt $((green * 3)) ] && [ "$red" -lt 150 ]; then
    ok "screenshot: snapshot chart drawn (done=$green postponed=$grey todo=$red)"
  else bad "snapshot screenshot: $(tr '\n' ' ' < own_px.txt)"; fi
fi
chrome --dump-dom "file://$tmp/own.html" > own_dom.html
python3 - "$tmp/own_dom.html" <<'PY' && ok "DOM: items per assignee and per blueprint, both completion figures" || bad "own DOM check"
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.ids=set(); s.groups={}; s.rows=[]; s.cell=None; s.rects={}; s.div=None
    def handle_starttag(s, t, a):
        a=dict(a)
        if 'id' in a: s.ids.add(a['id'])
        if t=='div' and a.get('id','').startswith('items-by-'): s.div=a['id']
        if t=='table' and a.get('class')=='items': s.groups.setdefault(s.div, []).append(a['data-group'])
        if t=='tr' and a.get('class') and s.div and s.div.startswith('items-by-'):
            s.rows.append((s.div, a['class'], [])); s.cell=None
        if t=='td' and s.rows and s.div: s.cell=s.rows[-1][2]; s.cell.append('')
        if t=='rect' and 'class' in a: s.rects[a['class']]=s.rects.get(a['class'],0)+1
    def handle_endtag(s, t):
        if t=='td': s.cell=None
        if t=='div': s.div=None
    def handle_data(s, d):
        if s.cell is not None: s.cell[-1]+=d
p=P(); src=open(sys.argv[1], encoding='utf-8').read(); p.feed(src)
import re
def text_of(i):
    m=re.search(r'<span id="%s">(.*?)</span>' % i, src, re.S); return re.sub('<[^>]+>','',m.group(1)) if m else ''
errs=[]
if '28.6% of all items (DONE / TOTAL = 4/14)' not in text_of('done-of-all'): errs.append('done-of-all: '+text_of('done-of-all'))
if '100.0% of the items not postponed (DONE / (TOTAL − POSTPONED) = 4/4)' not in text_of('done-of-not-postponed'):
    errs.append('done-of-not-postponed: '+text_of('done-of-not-postponed'))
if p.groups.get('items-by-assignee')!=['(unassigned)','ann','bob','carol','dave','zoë']: errs.append('assignees %s' % p.groups)
if p.groups.get('items-by-blueprint')!=['hapkg-pipeline','hapkg-tracker']: errs.append('blueprints %s' % p.groups)
for div in ('items-by-assignee','items-by-blueprint'):
    rows=[r for r in p.rows if r[0]==div]
    st=[r[2][2] for r in rows]
    if len(rows)!=14 or st.count('DONE')!=4 or st.count('POSTPONED')!=10: errs.append('%s rows %d %s' % (div, len(rows), st))
    ms=sorted(set(r[2][3] for r in rows))
    if ms!=['ubuntu-26.04','ubuntu-26.04-beta']: errs.append('%s milestones %s' % (div, ms))
    checks={r[2][1]: r[2][4] for r in rows}
    if not checks.get("track the HA stack's upstreams like uscan",'').startswith('DONE: pacemaker 2.1.5-1 in'):
        errs.append('pacemaker check %r' % checks.get("track the HA stack's upstreams like uscan"))
    if not checks.get('build on every supported series','').startswith('TODO: corosync not in'):
        errs.append('corosync check %r' % checks.get('build on every supported series'))
if 'snapshot' not in p.ids: errs.append('no svg#snapshot')
if p.rects.get('per-status done')!=1 or p.rects.get('per-status postponed')!=1 or p.rects.get('per-assignee postponed')!=6:
    errs.append('snapshot rects %s' % p.rects)
if errs: print('\n'.join(errs))
sys.exit(1 if errs else 0)
PY

# --- the other check forms: archive dir + suite, packaged vs upstream ----------
mkdir -p archive/dists/noble/main/source && cp Sources archive/dists/noble/main/source/Sources
cat > track.json <<'JSON'
[{"package": "pacemaker", "debian-mangled-uversion": "2.1.5", "upstream-version": "2.1.6"},
 {"package": "corosync", "debian-mangled-uversion": "3.1.7", "upstream-version": "3.1.7"}]
JSON
cat > checks.txt <<CHK
Work items:
[a] in the PPA {archive-has pacemaker >= 2.1.5-1 in $tmp/archive noble}: DONE
[a] newer in the PPA {archive-has pacemaker >> 2.1.5-1 in $tmp/archive noble}: DONE
[b] pacemaker current {packaged >= upstream pacemaker}: DONE
[b] corosync current {packaged >= upstream corosync}: TODO
[c] later {packaged >= upstream pacemaker}: POSTPONED
CHK
"$HAPKG" report --format json --track track.json checks.txt > checks.json 2> err; rc=$?
python3 - <<'PY' && [ $rc = 1 ] && ok "checks: archive dir+suite, packaged vs upstream" || bad "checks rc=$rc $(cat err)"
import json
items = json.load(open('checks.json'))['items']
got = [(i['checked'], i['mismatch']) for i in items]
assert got == [('DONE', False), ('TODO', True), ('TODO', True), ('DONE', True), ('TODO', False)], got
PY
printf 'Work items:\n[a] x {frobnicate y}: DONE\n' > badcheck.txt
"$HAPKG" report badcheck.txt > /dev/null 2> err; rc=$?
[ $rc = 2 ] && grep -q "badcheck.txt:2: check {frobnicate y}: unknown check" err && ok "bad check: $(cat err)" || bad "bad check rc=$rc $(cat err)"

# --- history from git ----------------------------------------------------------
git init -q repo && cd repo
commit() { GIT_COMMITTER_DATE="$1T12:00:00Z" GIT_AUTHOR_DATE="$1T12:00:00Z" git -c user.name=t -c user.email=t@t commit -qam "$1" --allow-empty; }
printf 'Work items:\na: TODO\nb: TODO\n' > bp.txt && git add bp.txt && commit 2026-11-01
printf 'Work items:\na: DONE\nb: TODO\n' > bp.txt && commit 2026-11-03
printf 'Work items:\na: DONE\nb: DONE\nc: TODO\n' > bp.txt && commit 2026-11-04
"$HAPKG" report --format json --git bp.txt > ../git.json 2> ../err; rc=$?
cd ..
python3 - <<'PY' && ok "git history: one point a day, carried forward" || { bad "git history rc=$rc $(cat err)"; cat git.json | head -50; }
import json
h=json.load(open('git.json'))['history']
want=[('2026-11-01',2,0),('2026-11-02',2,0),('2026-11-03',1,1),('2026-11-04',1,2)]
got=[(d['date'],d['todo'],d['done']) for d in h]
assert got==want, got
PY
exit $fail
