#!/bin/bash
# The README's two commands are there verbatim (the first ends in
# `build/tools/cli/hapkg pipeline run`, which tests/pipeline/default_run.sh
# runs for real; the second is tests/run-all, which .ci/run calls), and
# `hapkg inspect .` on this project's own tree gives what
# dpkg-parsechangelog and dpkg-source's rules say (source, version,
# SOURCE_DATE_EPOCH), in text and with --json.
# Usage: readme_commands.sh SOURCE_DIR HAPKG
set -uo pipefail
src=$(realpath "$1")
hapkg=$(realpath "$2")
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cmd='tests/bootstrap && cmake -S . -B build && cmake --build build -j2 && build/tools/cli/hapkg pipeline run'
grep -qF "    $cmd" "$src/README.md" || fail "README.md no longer has the first command: $cmd"
grep -qxF "    tests/run-all" "$src/README.md" || fail "README.md no longer has the test command"
grep -q 'exec tests/run-all' "$src/.ci/run" || fail ".ci/run does not run tests/run-all"
# issue 11 §3: the README says track's exit status as uscan's (1 when nothing is newer).
tr -s ' \n' ' ' < "$src/README.md" | grep -qF '`hapkg track` exits 0 when a newer upstream version is available and 1 when nothing is newer' ||
  fail "README.md does not say that hapkg track exits 1 when nothing is newer"

cd "$src" || exit 1
text=$("$hapkg" inspect .) || fail "hapkg inspect . failed"
json=$("$hapkg" --json inspect .) || fail "hapkg --json inspect . failed"
for field in Source Version Timestamp Distribution Maintainer; do
  want=$(dpkg-parsechangelog -S"$field")
  key=$(tr 'A-Z' 'a-z' <<<"$field")
  got=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$json" "$key")
  [[ "$got" == "$want" ]] || fail "inspect --json $key: '$got', dpkg-parsechangelog: '$want'"
done
[[ "$text" == *"SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -STimestamp)"* ]] || fail "text lacks SOURCE_DATE_EPOCH"
[[ "$text" == *"Version: $(dpkg-parsechangelog -SVersion)"* ]] || fail "text lacks the .dsc Version"
echo "readme commands, inspect: $fails failures"
exit $((fails > 0))
