#!/bin/bash
# The default pipeline's engine on its real state (the
# pipeline_default_state fixture, copied): a change to one patch of
# patches/resource-agents/ reruns resource-agents from its patch step on and
# nothing of hapkg (`pipeline plan`, the run's own decision, on a copy of the
# manifest and patches); then resource-agents' binary build is made to run
# again from the same source package and SIGKILLed in the middle of its
# dpkg-buildpackage: every process of the build ends with hapkg, nothing
# that looks complete is left, and the next run resumes and finishes with
# .debs byte-identical to those of the uninterrupted fixture run (the build
# is reproducible: same chroot, same SOURCE_DATE_EPOCH).
# A real second build of the changed patch is not run: it would add the
# same ~4 min chroot build to CI for what plan already decides.
# usage: default_resume.sh HAPKG SOURCE_DIR BINARY_DIR
set -u
HAPKG=$1 SRC=$2 BINARY_DIR=$3
export HAPKG_CHROOT_CACHE=${HAPKG_CHROOT_CACHE:-$BINARY_DIR/chroot-cache}
export SOURCE_DATE_EPOCH=1764547200  # as default_run.sh
fixture=$BINARY_DIR/pipeline-default
tmp=$(mktemp -d); PID=
cleanup() { [[ -n $PID ]] && kill -9 "$PID" 2> /dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
built=work/resource-agents/binaries
[[ -f $fixture/records/resource-agents/binaries.json ]] && ls "$fixture/$built"/bookworm/*.deb > /dev/null 2>&1 \
  || fail "no resource-agents binaries in $fixture (run pipeline_default)"
S=$tmp/state
cp -a "$fixture" "$S" || fail "copying $fixture"
# The archive's path is an input of publish: the copy's first run publishes
# into the copied archive (the same packages again, nothing rebuilt).
"$HAPKG" pipeline run --state "$S" > "$tmp/out0" 2> "$tmp/err0" || { cat "$tmp/out0"; tail "$tmp/err0"; fail "run on the copy"; }
grep -E ': started' "$tmp/err0" | grep -Ev ' (publish|verify|report): started' && fail "the copy's run rebuilt something"

# 1. One patch changed: plan says only resource-agents reruns, from patch on.
mkdir "$tmp/repo" && cp -a "$SRC/tracker" "$SRC/patches" "$tmp/repo/" || fail "copying the manifest"
p=$(ls "$tmp/repo/patches/resource-agents/"0001-*.patch) || fail "no 0001 patch in patches/resource-agents"
sed -i 's/^+OpenStack high availability agents$/+OpenStack high-availability agents/' "$p"  # hunk sizes unchanged
cmp -s "$p" "$SRC/patches/resource-agents/$(basename "$p")" && fail "the patch did not change"
"$HAPKG" pipeline plan --manifest "$tmp/repo/tracker/ha-stack.conf" --state "$S" > "$tmp/plan" 2> "$tmp/plan.err" \
  || { cat "$tmp/plan" "$tmp/plan.err"; fail "plan"; }
grep -E '^hapkg +[a-z-]+ +run' "$tmp/plan" && { cat "$tmp/plan"; fail "plan reruns hapkg for a resource-agents patch"; }
grep -Eq '^hapkg +binaries +skip' "$tmp/plan" || { cat "$tmp/plan"; fail "plan: hapkg binaries not skipped"; }
grep -Eq '^resource-agents +fetch +skip' "$tmp/plan" || { cat "$tmp/plan"; fail "plan: resource-agents fetch reruns"; }
grep -Eq '^resource-agents +patch +run +inputs changed' "$tmp/plan" || { cat "$tmp/plan"; fail "plan: patch"; }
grep -Eq '^resource-agents +binaries +run' "$tmp/plan" || { cat "$tmp/plan"; fail "plan: binaries"; }
# And unchanged, nothing would run.
"$HAPKG" pipeline plan --state "$S" > "$tmp/plan0" || fail "plan (unchanged)"
grep -E ' run ' "$tmp/plan0" && { cat "$tmp/plan0"; fail "plan runs something with nothing changed"; }

# 2. SIGKILL in the middle of the binary build, then resume.
ref=$tmp/ref; mkdir "$ref"; cp "$fixture/$built"/bookworm/*.deb "$ref/"
rm -rf "$S/records/resource-agents/binaries.json" "$S/$built"
"$HAPKG" pipeline run --state "$S" > "$tmp/out1" 2> "$tmp/err1" &
PID=$!
# The build's processes: hapkg's descendants, until dpkg-buildpackage is
# among them and has run 20 s (bounded: 15 min).
python3 - "$PID" > "$tmp/tree" <<'PY' || { cat "$tmp/err1"; fail "no dpkg-buildpackage under hapkg (pid $PID)"; }
import os, sys, time
root = int(sys.argv[1])
def tree():
    kids = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                st = open(f'/proc/{d}/stat').read()
            except OSError:
                continue
            rest = st[st.rindex(')') + 2:].split()
            kids.setdefault(int(rest[1]), []).append((int(d), st[st.index('(') + 1:st.rindex(')')]))
    out, todo = [], [root]
    while todo:
        for pid, comm in kids.get(todo.pop(), []):
            out.append((pid, comm)); todo.append(pid)
    return out
seen = None
for _ in range(900):
    if not os.path.exists(f'/proc/{root}'):
        sys.exit(1)
    t = tree()
    if any(c.startswith('dpkg-buildpack') for _, c in t):
        seen = seen or time.time()
        if time.time() - seen >= 20:
            for pid, comm in t:
                print(pid, comm)
            sys.exit(0)
    time.sleep(1)
sys.exit(1)
PY
kill -9 "$PID"; wait "$PID" 2> /dev/null; PID=
echo "killed hapkg with $(wc -l < "$tmp/tree") build processes under it: $(awk '{print $2}' "$tmp/tree" | sort -u | tr '\n' ' ')"
for _ in $(seq 60); do
  alive=$(while read -r pid comm; do [[ -d /proc/$pid ]] && grep -q "($comm)" "/proc/$pid/stat" 2> /dev/null && echo "$pid"; done < "$tmp/tree")
  [[ -z $alive ]] && break
  sleep 1
done
[[ -z $alive ]] || fail "build processes outlived the SIGKILLed hapkg: $alive"
[[ -e $S/$built ]] && fail "a killed build left $S/$built"
[[ -e $S/records/resource-agents/binaries.json ]] && fail "a killed build left a binaries record"

"$HAPKG" pipeline run --state "$S" > "$tmp/out2" 2> "$tmp/err2" || { cat "$tmp/out2"; tail -20 "$tmp/err2"; fail "resumed run"; }
grep -q 'resource-agents binaries: started' "$tmp/err2" || { cat "$tmp/err2"; fail "the resumed run did not build"; }
grep -E '(hapkg|resource-agents) (fetch|patch|source): started' "$tmp/err2" && fail "the resumed run redid earlier steps"
n=0
for d in "$ref"/*.deb; do
  got=$S/$built/bookworm/$(basename "$d")
  [[ -f $got ]] || fail "the resumed build lacks $(basename "$d")"
  cmp -s "$d" "$got" || fail "$(basename "$d") differs from the uninterrupted build's (diffoscope $d $got)"
  n=$((n + 1))
done
[[ $(ls "$S/$built"/bookworm/*.deb | wc -l) == "$n" ]] || fail "the resumed build has other .debs than the uninterrupted one"
echo "PASS: patch change reruns only resource-agents (plan); SIGKILL mid dpkg-buildpackage, no leftovers, resumed: $n .debs identical"
