#!/bin/bash
# Errors a user can act on (issue 11 §3), each with its exact exit code
# and its one error line: non-UTF-8 changelogs under --json, a directory
# given as a changelog, unknown commands and options (named, with the
# nearest command), a bad relation operator; the man page renders every
# command as its own tagged paragraph (checked with man -l, i.e. groff).
# Usage: cli_errors.sh SOURCE_DIR HAPKG
set -uo pipefail
src=$(realpath "$1")
hapkg=$(realpath "$2")
. "$(dirname "$(realpath "$0")")/lib.sh"

# expect RC MESSAGE ARGS...: exit RC, nothing on stdout, stderr exactly the
# one line "hapkg: error: MESSAGE".
expect() {
  local rc_want=$1 message=$2; shift 2
  checks=$((checks + 1))
  "$hapkg" "$@" >out 2>err
  local rc=$?
  [[ $rc == "$rc_want" ]] || fail "hapkg $*: exit $rc, want $rc_want: $(cat err)"
  [[ ! -s out ]] || fail "hapkg $*: stdout: $(cat out)"
  [[ $(cat err) == "hapkg: error: $message" ]] || fail "hapkg $*: stderr '$(cat err)', want 'hapkg: error: $message'"
}

# A Latin-1 changelog (real ones exist): valid JSON, the bytes that are not
# UTF-8 as U+FFFD; the text output keeps them as they are.
printf 'hello (1.0-1) unstable; urgency=low\n\n  * Fix for M\xfcller.\n\n -- J\xf6rg M\xfcller <jm@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n' > latin1
checks=$((checks + 1))
"$hapkg" --json changelog show latin1 > out.json 2>err
rc=$?
[[ $rc == 0 && ! -s err ]] || fail "--json on a Latin-1 changelog: exit $rc: $(cat err)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["Maintainer"]=="J\ufffdrg M\ufffdller <jm@example.org>", d["Maintainer"]' out.json ||
  fail "--json on a Latin-1 changelog is not the expected JSON: $(cat out.json)"
checks=$((checks + 1))
"$hapkg" changelog show latin1 | grep -qa $'^Maintainer: J\xf6rg M\xfcller' || fail "text output changed the Latin-1 bytes"

# A directory is not a changelog: invalid input (2), not an I/O failure.
expect 2 "/tmp: is a directory, not a changelog file" changelog show /tmp
expect 2 ".: is a directory, not a changelog file" changelog new -c . "x"

# Unknown commands and options say what is unknown and the nearest command
# (edit distance: 'bogus' is 4 edits from 'node', 5 from 'track').
expect 2 "unknown command 'bogus' (did you mean 'node'? see hapkg --help)" bogus
expect 2 "unknown command 'chagelog' (did you mean 'changelog'? see hapkg --help)" chagelog show
expect 2 "unknown option '--bogus' (did you mean '--color'? see hapkg --help)" --bogus
expect 2 "unknown option '--verison' (did you mean '--version'? see hapkg --help)" --verison
expect 2 "unknown command 'changelog shwo' (did you mean 'show'? see hapkg --help)" changelog shwo
expect 2 "unknown command 'version comapre' (did you mean 'compare'? see hapkg --help)" -q --color never version comapre 1 lt 2
# ... while global options before the command still work.
checks=$((checks + 1))
"$hapkg" -qv --color=never --json version compare 1.0 lt 2.0 > out 2>err || fail "global options before the command: $(cat err)"

# A bad relation operator is named.
expect 2 "bad relation operator 'foo' (one of lt le eq ne ge gt, << <= = >= >>, lt-nl le-nl ge-nl gt-nl)" \
  version compare 1.0 foo 2.0

# The man page: every command is a tagged paragraph (.TP) of its own, so
# its description is indented under its synopsis line.
man -l "$src/tools/cli/hapkg.1" 2>man.err | col -bx > man.txt
checks=$((checks + 1))
[[ -s man.txt && ! -s man.err ]] || fail "man -l hapkg.1: $(cat man.err)"
for cmd in "archive init" "archive include" "patch list|apply|unapply|check" "patch refresh" "upgrade-check" "track"; do
  checks=$((checks + 1))
  # The synopsis at the tag indent (7 columns, continued there when long),
  # then the description deeper (14); as running text it would be at 14.
  awk -v cmd="       $cmd " 'index($0, cmd) == 1 { found = 1; next }
    found && /^       [^ ]/ { next }
    found { exit !/^              [^ ]/ }
    END { if (!found) exit 1 }' man.txt ||
    fail "man page: '$cmd' is not a tagged paragraph: $(grep -n -A1 -F "$cmd" man.txt | head -n 4)"
done
checks=$((checks + 1))
# man justifies its lines (runs of blanks depend on the width): phrases are
# looked for with the blanks squeezed.
tr -s ' ' < man.txt > man.squeezed
grep -q 'version 3, 4 or 5' man.squeezed && grep -q '0 when a newer version is available, 1 when' man.squeezed ||
  fail "man page: track's watch versions or exit status"
checks=$((checks + 1))
grep -A3 -E '^       -v, --verbose' man.txt | tr -s ' ' | grep -q 'Debug messages' || fail "man page: -v is not described"

finish "cli errors"
