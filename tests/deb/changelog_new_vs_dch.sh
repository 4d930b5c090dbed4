#!/bin/bash
# `hapkg changelog new` against the real dch (devscripts) as the oracle: the
# same starting changelog, the same request, byte-identical results once the
# date of the new trailer is masked (both take "now"; ours is also checked
# to be RFC 2822 like `date -R`).
# Usage: changelog_new_vs_dch.sh HAPKG
set -uo pipefail
hapkg=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
export HOME=$work DEBFULLNAME="Jane Doe" DEBEMAIL="jane@example.org" TZ=UTC LC_ALL=C.UTF-8
unset DEBCHANGE_VENDOR DEB_VENDOR
mask() { sed -E 's/^( -- .*>  ).*$/\1DATE/' "$1"; }

# start VERSION [DIST [AUTHOR]]: a one-entry changelog in a fresh tree for
# each side. Jane Doe is the Maintainer in debian/control (dch numbers an
# upload by anyone else as an NMU, which hapkg does not do).
start() {
  for side in dch hapkg; do
    rm -rf "$work/$side" && mkdir -p "$work/$side/debian"
    printf 'Source: hello\nMaintainer: Jane Doe <jane@example.org>\n\nPackage: hello\nArchitecture: any\nDescription: x\n y\n' \
      > "$work/$side/debian/control"
    printf 'hello (%s) %s; urgency=medium\n\n  * Initial release.\n\n -- %s  Tue, 24 Nov 2026 10:00:00 +0000\n' \
      "$1" "${2:-unstable}" "${3:-Jane Doe <jane@example.org>}" > "$work/$side/debian/changelog"
  done
}

# compare "DCH ARGS" "HAPKG ARGS" (word-split; messages without spaces)
compare() {
  local dch_args=$1 hapkg_args=$2
  checks=$((checks + 1))
  # shellcheck disable=SC2086
  (cd "$work/dch" && dch $dch_args </dev/null >/dev/null 2>"$work/dch.err") || { fail "dch $dch_args: $(cat "$work/dch.err")"; return; }
  # shellcheck disable=SC2086
  (cd "$work/hapkg" && "$hapkg" -q changelog new $hapkg_args >/dev/null 2>"$work/hapkg.err") ||
    { fail "hapkg changelog new $hapkg_args: $(cat "$work/hapkg.err")"; return; }
  if ! diff -u <(mask "$work/dch/debian/changelog") <(mask "$work/hapkg/debian/changelog") >"$work/diff"; then
    fail "dch $dch_args vs hapkg changelog new $hapkg_args:"; cat "$work/diff"
  fi
  local date
  date=$(grep -m1 '^ -- ' "$work/hapkg/debian/changelog" | sed 's/^ -- .*>  //')
  [[ "$date" =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ \+0000$ ]] ||
    fail "date '$date' is not like date -R"
  # dpkg reads the result without a warning.
  (cd "$work/hapkg" && dpkg-parsechangelog >/dev/null 2>"$work/dpc.err") && [[ ! -s "$work/dpc.err" ]] ||
    fail "dpkg-parsechangelog on our result: $(cat "$work/dpc.err")"
}

# dch -i: Debian increments
start 1.0-1;          compare "-i New-thing." "New-thing."
start 1:2.0-9;        compare "-i Fix." "Fix."
start 1.0;            compare "-i Native-bump." "Native-bump."
start 1.0-1;          compare "-i -u low Low-urgency." "-u low Low-urgency."
# dch -v VER -D DIST
start 1.0-1;          compare "-v 1.1-0ubuntu1~ppa1 -D jammy New-upstream" "-v 1.1-0ubuntu1~ppa1 -D jammy New-upstream"
start 1.0-1;          compare "-v 2.0-1 -D unstable -u high Security." "-v 2.0-1 -D unstable -u high Security."
# Ubuntu numbering: dch --vendor Ubuntu -i
start 1.0-1;          compare "--vendor Ubuntu -i Delta." "--ubuntu Delta."
start 1.0-1ubuntu1;   compare "--vendor Ubuntu -i More." "--ubuntu More."
start 1.0-1ubuntu9;   compare "--vendor Ubuntu -i Ten." "--ubuntu Ten."
start 1.0-3build1;    compare "--vendor Ubuntu -i After-rebuild." "--ubuntu After-rebuild."
start 1.0-1ubuntu0.22.04.1 jammy; compare "--vendor Ubuntu -i SRU." "--ubuntu SRU."
# An UNRELEASED top entry is rewritten, not stacked (DEBCHANGE_RELEASE_HEURISTIC=changelog):
# -i bumps its version and appends, -v/-D set version and distribution, -u the urgency.
start 1.0-1; compare "-i One." "One."; compare "-i Two." "Two."
compare "-v 1.0-5 -D unstable Three." "-v 1.0-5 -D unstable Three."
compare "-i -u low Four." "-u low Four."; compare "-i -u high Five." "-u high Five."
# Someone else's UNRELEASED entry gets "[ Name ]" groups.
start 1.0-2 UNRELEASED "Other Person <other@example.org>"; compare "-i Mine." "Mine."; compare "-i Again." "Again."
start 1.0-1ubuntu1 UNRELEASED; compare "--vendor Ubuntu -i More." "--ubuntu More."

# Change lines past 80 columns are wrapped as dch's format wraps them: a
# 68-character field after "  * " and "    ", broken after a blank or a
# '-', a longer word (a URL) cut at the field's end. One argument each.
# compare_text "DCH OPTIONS" "TEXT"
compare_text() {
  local opts=$1 text=$2
  checks=$((checks + 1))
  # shellcheck disable=SC2086
  (cd "$work/dch" && dch $opts -- "$text" </dev/null >/dev/null 2>"$work/dch.err") || { fail "dch $opts '$text': $(cat "$work/dch.err")"; return; }
  (cd "$work/hapkg" && "$hapkg" -q changelog new "$text" >/dev/null 2>"$work/hapkg.err") ||
    { fail "hapkg changelog new '$text': $(cat "$work/hapkg.err")"; return; }
  diff -u <(mask "$work/dch/debian/changelog") <(mask "$work/hapkg/debian/changelog") >"$work/diff" ||
    { fail "dch vs hapkg on '$text':"; cat "$work/diff"; }
}
words="Rebuild against the new libqb, drop the obsolete patches that upstream merged in 2.1.6 and refresh the remaining ones so that they apply without fuzz again."
start 1.0-1
compare_text -i "$words"
compare_text -i "See https://github.com/ClusterLabs/pacemaker/commit/0123456789abcdef0123456789abcdef01234567/and/more/path for details."
compare_text -i "$(printf 'x%.0s' {1..200})"
compare_text -i "Twelve-chars-hyphenated-words-go-across-the-field-boundary-here-and-there-too-again-and-again."
compare_text -i "$(printf 'a%.0s' {1..68}) next"
compare_text -i "$(printf 'a%.0s' {1..67}) b c"
compare_text -i "Two  blanks   and	a tab between words that are long enough to need two lines in the end, yes."
compare_text -i "Non-ASCII: Müller, Łukasz and Zoë reported the crash in the résumé parser that überlong lines trigger."
compare_text -i "Closes: #123456 Closes: #654321 a long list of bug numbers that needs wrapping beyond the eighty-column limit"
# Into an UNRELEASED entry (merged, as above).
start 1.0-2 UNRELEASED
compare_text -i "$words"
compare_text -i "Second long change line to append to the same UNRELEASED entry, long enough to be wrapped twice over by dch's own formatting rules."

echo "changelog new vs dch: $checks comparisons, $fails failures"
exit $((fails > 0))
