#!/bin/bash
# topology_gen_errors: topology-gen on bad specs: exit 2, one line naming
# file:line, and no output written (existing outputs left as they were).
# Usage: gen-errors.sh TOPOLOGY-GEN
gen=$1
here=$(dirname "$(readlink -f "$0")")
. "$here/../agents/lib.sh"
echo old >"$T/out.crm"; echo old >"$T/out.pcs"
bad() {  # bad LINE-NUMBER WHAT SPEC-TEXT
  printf '%b' "$3" >"$T/spec"
  "$gen" "$T/spec" "$T/out.crm" "$T/out.pcs" 2>"$T/err"; local rc=$?
  if [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^topology-gen: $T/spec:$1: " "$T/err" \
      && [ "$(cat "$T/out.crm" "$T/out.pcs")" = "$(printf 'old\nold')" ]; then say "ok   $2: $(cat "$T/err")"
  else fail "$2: rc $rc, $(cat "$T/err")"; fi
}
bad 2 "unknown statement" '# c\nprimtive p ocf:heartbeat:Dummy\n'
bad 1 "shell metacharacter in a value" 'primitive p ocf:heartbeat:Dummy state=$(reboot)\n'
bad 1 "quote in a value" "primitive p ocf:heartbeat:Dummy state=\"a b\"\n"
bad 2 "duplicate id" 'primitive p ocf:heartbeat:Dummy\nprimitive p ocf:heartbeat:Dummy\n'
bad 2 "unknown resource in a constraint" 'primitive p ocf:heartbeat:Dummy\norder o Optional p q\n'
bad 2 "op without timeout" 'primitive p ocf:heartbeat:Dummy\nop p monitor interval=5s\n'
bad 1 "bad agent" 'primitive p heartbeat\n'
bad 2 "bad score" 'primitive p ocf:heartbeat:Dummy\nlocation l p always node1\n'
printf 'primitive p ocf:heartbeat:Dummy\nop p monitor interval=5s timeout=20s\nclone c p interleave=true\n' >"$T/spec"
if "$gen" "$T/spec" "$T/out.crm" "$T/out.pcs" && grep -q '^clone c p meta interleave=true$' "$T/out.crm" \
    && grep -q 'clone c interleave=true$' "$T/out.pcs"; then say "ok   a good spec is written"
else fail "good spec: $(cat "$T/out.crm" "$T/out.pcs")"; fi
"$gen" "$T/missing" "$T/out.crm" "$T/out.pcs" 2>/dev/null; expect 3 "missing spec" "$?" 2>/dev/null
echo old >"$T/out.crm"
"$gen" "$T/spec" "$T/out.crm" "$T/no-such-dir/out.pcs" 2>"$T/last.err"; expect 3 "unwritable second output" "$?"
[ "$(cat "$T/out.crm")" = old ] && say "ok   first output untouched when the second cannot be written" \
  || fail "out.crm was replaced although out.pcs failed"
ls -A "$T" | grep -q '^\.topology-gen\.' && fail "temp files left behind" || say "ok   no temp files left"
finish
