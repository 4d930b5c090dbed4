#!/bin/bash
# `hapkg version next` through the CLI: the Ubuntu/Debian rules of the
# reference notes (§2), each result proven with dpkg --compare-versions (it
# must be greater than the current version, and a PPA upload must stay below
# the next official upload), and --check-against's exit codes.
# Usage: version_next_cli.sh HAPKG
set -uo pipefail
hapkg=$(realpath "$1")
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
gt() { dpkg --compare-versions "$1" gt "$2"; }

# current | options | expected
while IFS='|' read -r cur opts want; do
  [[ -z "$cur" || "$cur" == \#* ]] && continue
  # shellcheck disable=SC2086
  got=$("$hapkg" -q version next "$cur" $opts) || { fail "$cur $opts: exit $?"; continue; }
  checks=$((checks + 1))
  [[ "$got" == "$want" ]] || fail "$cur $opts: got $got, want $want"
  series=$(sed -n 's/.*--backport \([0-9.]*\).*/\1/p' <<<"$opts")
  if [[ -n "$series" && "$opts" != *--new-upstream* && "$cur" != *"~$series."* ]]; then
    # A backport of this version to an older series stays below it, so the
    # upgrade to the newer release still replaces it.
    dpkg --compare-versions "$got" lt "$cur" || fail "$cur $opts: backport $got is not below $cur for dpkg"
  else
    gt "$got" "$cur" || fail "$cur $opts: $got is not greater than $cur for dpkg"
  fi
  case " $opts " in
    *" --ppa "*)
      official=$("$hapkg" -q version next "$cur" --ubuntu)
      if [[ "$opts" != *--backport* && "$opts" != *--new-upstream* ]]; then
        dpkg --compare-versions "$got" lt "$official" || fail "$cur $opts: $got is not below the next official $official"
      fi
      [[ "$got" != *ubuntu*+ppa* ]] || fail "$cur $opts: +ppa after ubuntuN";;
  esac
done <<'TABLE'
# Ubuntu development release (dch --vendor Ubuntu -i numbering)
2.0-2|--ubuntu|2.0-2ubuntu1
2.0-2ubuntu1|--ubuntu|2.0-2ubuntu2
2.0-2ubuntu9|--ubuntu|2.0-2ubuntu10
2.0-3build1|--ubuntu|2.0-3ubuntu1
2.0-2ubuntu0.22.04.1|--ubuntu|2.0-2ubuntu0.22.04.2
1:2.0-1|--ubuntu|1:2.0-1ubuntu1
# Debian increment (dch -i)
1.0-1||1.0-2
1:1.0-9||1:1.0-10
1.0||1.1
# PPA: below the next official upload, never +ppa after ubuntuN
2.0-2|--ppa|2.0-2ubuntu1~ppa1
2.0-2ubuntu3|--ppa|2.0-2ubuntu4~ppa1
2.0-2ubuntu4~ppa1|--ppa|2.0-2ubuntu4~ppa2
2.0-3build1|--ppa|2.0-3ubuntu1~ppa1
# Backports (~SERIES.N) and new upstream releases
3.1-1ubuntu2|--backport 22.04|3.1-1ubuntu2~22.04.1
3.1-1ubuntu2~22.04.1|--backport 22.04|3.1-1ubuntu2~22.04.2
3.1-1ubuntu2|--backport 24.04 --ppa|3.1-1ubuntu2~24.04.1~ppa1
2.1.6-5|--new-upstream 3.0.1|3.0.1-1
1:2.1.6-5ubuntu2|--new-upstream 3.0.1 --ubuntu|1:3.0.1-0ubuntu1
2.1.6-5ubuntu2|--new-upstream 3.0.1 --ppa|3.0.1-0ubuntu1~ppa1
TABLE

# --check-against: 0 when greater than all, 1 with a reason when not, 2 on bad input.
expect_exit() {
  local want=$1; shift
  out=$("$hapkg" "$@" 2>&1); rc=$?
  checks=$((checks + 1))
  [[ $rc == "$want" ]] || fail "hapkg $*: exit $rc, want $want: $out"
}
expect_exit 0 version next 2.0-2 --ubuntu --check-against 2.0-2 2.0-1ubuntu5 0.9-1~ppa1
expect_exit 1 version next 2.0-2ubuntu1 --ubuntu --check-against 2.0-2ubuntu5
[[ "$out" == *"2.0-2ubuntu2 is lower than 2.0-2ubuntu5"* ]] || fail "no explanation: $out"
expect_exit 1 version next 2.0-2ubuntu1 --ubuntu --check-against 2.0-2ubuntu2
[[ "$out" == *"is equal to"* ]] || fail "no explanation: $out"
expect_exit 1 version next 2.0-2 --ppa --check-against 1:1.0-1
expect_exit 2 version next 2.0-2 --ubuntu --check-against 'not a version'
expect_exit 2 version next 'bad version' --ubuntu
expect_exit 2 version next 2.0-2 --backport 'jammy'
expect_exit 2 version next 3.0-1 --new-upstream 2.0
# The JSON result says the same.
json=$("$hapkg" --json version next 2.0-2ubuntu1 --ubuntu --check-against 2.0-2ubuntu5 2>/dev/null)
python3 -c 'import json,sys; j=json.loads(sys.argv[1]); assert j["next"]=="2.0-2ubuntu2" and j["ok"] is False and j["problems"], j' "$json" \
  || fail "json: $json"
echo "version next: $checks checks, $fails failures"
exit $((fails > 0))
