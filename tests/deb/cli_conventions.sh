#!/bin/bash
# The CLI conventions of issue 2 on every command: --help at every level,
# --version from debian/changelog, -v/-q, --color, --json on stdout for
# every reporting command, usage errors exit 2 with one error line.
# Usage: cli_conventions.sh SOURCE_DIR HAPKG
set -uo pipefail
src=$(realpath "$1")
hapkg=$(realpath "$2")
. "$(dirname "$(realpath "$0")")/lib.sh"

# --help at every level: exit 0, a usage line, the subcommands listed.
for path in "" version "version compare" "version check" "version next" changelog "changelog show" \
            "changelog new" inspect; do
  check
  # shellcheck disable=SC2086
  out=$("$hapkg" $path --help 2>&1) || fail "hapkg $path --help: exit $?"
  [[ "$out" == *Usage:* ]] || fail "hapkg $path --help: no usage line"
done
[[ $("$hapkg" --help) == *version*changelog*inspect* ]] || fail "top-level help does not list the commands"
[[ $("$hapkg" --help) == *"Exit codes"* ]] || fail "top-level help does not give the exit codes"

check
[[ $("$hapkg" --version) == "hapkg $(dpkg-parsechangelog -l "$src/debian/changelog" -SVersion)" ]] ||
  fail "--version: $("$hapkg" --version)"

# Usage errors: exit 2, one error line, nothing on stdout.
for args in "" "version" "nosuch" "version compare 1.0" "version next 1.0 --nosuch" "--color purple version check 1" \
            "changelog show a b c"; do
  check
  # shellcheck disable=SC2086
  "$hapkg" $args >out 2>err
  rc=$?
  [[ $rc == 2 ]] || fail "hapkg $args: exit $rc, want 2"
  [[ ! -s out ]] || fail "hapkg $args: stdout not empty"
  [[ $(grep -c '^hapkg: error: ' err) == 1 && $(wc -l <err) == 1 ]] || fail "hapkg $args: stderr: $(cat err)"
done

# A changelog to work on.
printf 'hello (1.0-1) unstable; urgency=medium\n\n  * Initial release. Closes: #123\n  * LP: #456\n\n -- Jane Doe <jane@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n' > changelog
export DEBFULLNAME="Jane Doe" DEBEMAIL="jane@example.org"

# -q: no info logs; default: the info log; -v: debug logs. Logs on stderr only.
check
cp changelog c1 && "$hapkg" changelog new -c c1 x >out 2>err
[[ $(cat out) == 1.0-2 && $(cat err) == *info*added* ]] || fail "changelog new: out '$(cat out)' err '$(cat err)'"
cp changelog c1 && "$hapkg" -q changelog new -c c1 x >out 2>err
[[ $(cat out) == 1.0-2 && ! -s err ]] || fail "-q: err '$(cat err)'"
"$hapkg" -v version next 1.0-1 >out 2>err
[[ $(cat out) == 1.0-2 && $(cat err) == *debug* ]] || fail "-v: err '$(cat err)'"
# --color: escape sequences only when asked for (stderr is not a terminal here).
"$hapkg" --color always -v version next 1.0-1 2>err >/dev/null
grep -q $'\e\[' err || fail "--color always: no escape sequence"
"$hapkg" --color never -v version next 1.0-1 2>err >/dev/null
grep -q $'\e\[' err && fail "--color never: escape sequence"
"$hapkg" -v version next 1.0-1 2>err >/dev/null
grep -q $'\e\[' err && fail "--color auto on a pipe: escape sequence"

# --json: stdout is one JSON document for every reporting command.
json_ok() {  # json_ok PYTHON-ASSERTION ARGS...
  local assertion=$1; shift
  check
  "$hapkg" --json "$@" >out 2>err
  python3 -c "import json,sys; j=json.load(open('out')); assert $assertion, j" 2>>err ||
    fail "hapkg --json $*: $(cat out) $(cat err)"
}
json_ok 'j["result"] is True' version compare 1.0 lt 2.0
json_ok 'j[0]["upstream"] == "2.0" and j[0]["epoch"] == "1"' version check 1:2.0-3
json_ok 'j["next"] == "1.0-1ubuntu1"' version next 1.0-1 --ubuntu
json_ok 'j["Version"] == "1.0-1" and j["Closes"] == ["123"] and j["Launchpad-Bugs-Fixed"] == ["456"] and j["Timestamp"] == 1795514400' \
  changelog show changelog
json_ok 'len(j) == 1 and j[0]["Source"] == "hello"' changelog show --all changelog
cp changelog c2 && json_ok 'j["Version"] == "1.0-2" and j["Distribution"] == "UNRELEASED"' changelog new -c c2 x
json_ok 'j["source"] == "hapkg" and "dsc" in j and "next_versions" in j' inspect "$src"
# The global flags work after the subcommand too.
check
"$hapkg" version next 1.0-1 --json >out 2>/dev/null && python3 -c 'import json; json.load(open("out"))' ||
  fail "--json after the subcommand"

finish "cli conventions"
