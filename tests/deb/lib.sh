# Shared by the tests/deb scripts: a private work directory (removed on
# exit, and the current directory), and failure counting.
# Usage (after set -uo pipefail): . "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { checks=$((checks + 1)); }
# finish NAME: the summary line and the exit status.
finish() { echo "$1: $checks checks, $fails failures"; exit $((fails > 0)); }
