#!/bin/bash
# Bad input through the CLI: malformed versions, changelogs with broken
# headers and trailers, control files with continuation errors. Every case
# must end with exit 2 and exactly one error line on stderr naming file:line
# (where there is a file), never a crash, never a changed or half-written
# output file.
# Usage: bad_input.sh HAPKG
set -uo pipefail
hapkg=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect_error PATTERN ARGS...: exit 2, stdout empty, one "hapkg: error:" line
# (the last line of stderr) matching the extended regex PATTERN.
expect_error() {
  local pattern=$1; shift
  "$hapkg" "$@" >out 2>err
  local rc=$?
  checks=$((checks + 1))
  local last
  last=$(tail -n1 err)
  [[ $rc == 2 ]] || { fail "hapkg $*: exit $rc, want 2: $(cat err)"; return; }
  [[ ! -s out ]] || fail "hapkg $*: output on stdout: $(cat out)"
  [[ $(grep -c '^hapkg: error: ' err) == 1 ]] || fail "hapkg $*: not exactly one error line: $(cat err)"
  [[ "$last" =~ ^hapkg:\ error:\ $pattern ]] || fail "hapkg $*: '$last' does not match '$pattern'"
}

good_entry() {  # good_entry VERSION
  printf 'hello (%s) unstable; urgency=medium\n\n  * Change.\n\n -- Jane Doe <jane@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n\n' "$1"
}

# --- versions (an empty one is dpkg's "no version", valid)
for v in ':1.0' 'a:1.0' '1.0-' '-1' '1.0 2' '1:' '99999999999:1.0'; do
  expect_error "version '.*' has bad syntax: " version compare "$v" lt 1.0
  expect_error "version '.*' has bad syntax: " version compare 1.0 ge "$v"
done
expect_error ".*bad relation" version compare 1.0 '<>' 2.0
expect_error ".*invalid version" version next '1.0-'
expect_error ".*invalid version" version next 'a:b' --ubuntu
expect_error ".*invalid version" version next 2.0-1 --check-against '1.0-'
expect_error "invalid backport series" version next 2.0-1 --backport 'jammy'

# --- changelogs: broken trailers and headers, named by line
{ good_entry 1.0-2; good_entry 1.0-1; } > good
cp good c-trailer-1space && sed -i '5s/>  Tue/> Tue/' c-trailer-1space
cp good c-trailer-nodate && sed -i '5s/  Tue.*$//' c-trailer-nodate
cp good c-trailer-baddate && sed -i '11s/Nov/November/' c-trailer-baddate
cp good c-trailer-weekday && sed -i '11s/Tue,/Tux,/' c-trailer-weekday
cp good c-trailer-missing && sed -i '5d' c-trailer-missing
cp good c-header-paren && sed -i '7s/(1.0-1)/(1.0-1/' c-header-paren
cp good c-header-version && sed -i '1s/1.0-2/1.0-/' c-header-version
cp good c-header-urgency && sed -i '1s/urgency=medium/urgency=/' c-header-urgency
cp good c-header-key && sed -i '1s/urgency=medium/urgency=medium, colour=red/' c-header-key
cp good c-change-col0 && sed -i '3s/^  //' c-change-col0
printf 'hello (1.0-1) unstable; urgency=low\n\n  * x\n' > c-eof
expect_error "c-trailer-1space:5: badly formatted trailer line" changelog show c-trailer-1space
expect_error "c-trailer-nodate:5: badly formatted trailer line" changelog show c-trailer-nodate
expect_error "c-trailer-baddate:11: .*November" changelog show --all c-trailer-baddate
expect_error "c-trailer-weekday:11: .*week day" changelog show c-trailer-weekday
expect_error "c-trailer-missing:6: found start of entry" changelog show c-trailer-missing
expect_error "c-header-paren:7: badly formatted heading line" changelog show c-header-paren
expect_error "c-header-version:1: version '1.0-' is invalid" changelog show c-header-version
expect_error "c-header-urgency:1: bad key-value" changelog show c-header-urgency
expect_error "c-header-key:1: unknown key-value" changelog show c-header-key
expect_error "c-change-col0:3: " changelog show c-change-col0
expect_error "c-eof:3: found end of file" changelog show c-eof
expect_error "missing: no such file" changelog show missing
printf '\x1f\x8b\x08\x00garbage' > c-corrupt.gz
expect_error "c-corrupt.gz" changelog show c-corrupt.gz

# --- changelog new on a broken file, or with a bad request: file untouched,
# no temp file left beside it.
export DEBFULLNAME="Jane Doe" DEBEMAIL="jane@example.org"
for f in c-trailer-1space c-header-version c-eof; do
  cp "$f" before
  expect_error "$f:[0-9]+: " changelog new -c "$f" "Another change."
  cmp -s before "$f" || fail "changelog new changed the broken $f"
done
cp good before
expect_error "(new version: )?invalid version" changelog new -c good -v '1.0-' "x"
expect_error "good: new version 1.0-1 is not greater than 1.0-2" changelog new -c good -v 1.0-1 "x"
cmp -s before good || fail "changelog new changed good on a bad request"
ls -A | grep -vxE 'good|before|out|err|c-.*' && fail "files left behind: $(ls -A)"

# --- control files with continuation errors (through inspect's debian/control)
mkdir -p tree/debian
good_entry 1.0-1 > tree/debian/changelog
echo '3.0 (native)' > tree/debian/format
mkdir -p tree/debian/source && echo '3.0 (native)' > tree/debian/source/format
control() { printf "$1" > tree/debian/control; }
control ' continued\nSource: hello\n'
expect_error "tree/debian/control:1: continuation line outside a field" inspect tree
control 'Source: hello\nMaintainer: Jane <j@e.org>\n\nPackage: hello\n  orphan\nDescription x\n'
expect_error "tree/debian/control:6: " inspect tree
control 'Source: hello\nSource: again\n'
expect_error "tree/debian/control:2: duplicate field" inspect tree
control 'Source: hello\n# only a comment\n\n# another\n'
expect_error "tree/debian/control:4: " inspect tree
control 'Source: hello\nMaintainer: Jane <j@e.org>\nBuild-Depends: a,\n# comment inside\n b\n\nPackage: hello\nArchitecture: any\nDescription: x\n y\n'
"$hapkg" inspect tree >/dev/null 2>err || fail "a comment inside a continued field is valid in debian/control: $(cat err)"

# --- lines that overflowed std::regex's stack (SIGSEGV) or took seconds
# (issue 11): 30,000 blanks in a header, a trailer, a change line. Each
# answers at once: exit 2 naming the line, or exit 0 where the line is valid.
blanks=$(printf '%30000s' '')
{ printf 'hello (1.0-1)%sunstable; urgency=low\n' "$blanks"; printf '\n  * x\n\n -- J <j@x>  Tue, 24 Nov 2026 10:00:00 +0000\n'; } > c-long-header
# 30,000 blanks before the distribution are valid to dpkg's header regex.
"$hapkg" changelog show c-long-header > out 2>err
rc=$?
checks=$((checks + 1))
[[ $rc == 0 ]] && grep -qx 'Distribution: unstable' out || fail "30,000 blanks before the distribution: exit $rc: $(cat err)"
{ printf 'hello (1.0-1) unstable; urgency=low\n\n  * x\n\n'; printf 'x%s(\n' "$blanks"; } > c-long-garbage
expect_error "c-long-garbage:5: badly formatted heading line" changelog show c-long-garbage
{ good_entry 1.0-1 | head -n 4; printf ' -- J%s<j@x>%sTue, 24 Nov 2026 10:00:00 +0000\n' "$blanks" "$blanks"; } > c-long-trailer
expect_error "c-long-trailer:5: badly formatted trailer line" changelog show c-long-trailer
{ printf 'hello (1.0-1) unstable; urgency=low%s\n\n  * Closes:%s#42\n' "$blanks" "$blanks"; good_entry 1.0-1 | tail -n +4; } > c-long-ok
"$hapkg" changelog show c-long-ok > out 2>err
rc=$?
checks=$((checks + 1))
[[ $rc == 0 ]] && grep -qx 'Closes: 42' out || fail "a valid changelog with 30,000 blanks: $(cat err out)"
{ printf 'hello (1.0-1) unstable; urgency=low\n\n  * x\n\n'; printf 'Mon Jan 1 1:1:1 %s%s(\n' "$(printf '1%.0s' {1..3000})" "$blanks"; } > c-long-old
expect_error "c-long-old:5: badly formatted heading line" changelog show c-long-old

# --- no crash on any single-line damage of a changelog: exit 0 or 2, and
# an error always names the file and line.
n=$(wc -l < good)
for ((i = 1; i <= n; i++)); do
  for damage in d 's/.*/x/' 's/^/ /' 's/ //' 's/$/ (/'; do
    sed "${i}${damage}" good > damaged
    "$hapkg" changelog show --all damaged >/dev/null 2>err
    rc=$?
    checks=$((checks + 1))
    case $rc in
      0) ;;
      2) grep -qE '^hapkg: error: damaged(:[0-9]+)?: ' err || fail "line $i '$damage': $(cat err)";;
      *) fail "line $i '$damage': exit $rc: $(cat err)";;
    esac
  done
done

echo "bad input: $checks checks, $fails failures"
exit $((fails > 0))
