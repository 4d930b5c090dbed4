#!/bin/bash
# hapkg source build vs dpkg-source -b on the large fixture (73 MB, 5235
# files, 22 patches), both on identical copies in the same run. Prints
# wall time, peak RSS, the ratio, and checks the outputs are identical.
# Usage: bench/source_build.sh [path/to/hapkg] [runs]
set -euo pipefail
HAPKG=${1:-build/tools/cli/hapkg}; RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
python3 "$HERE/tests/source/make_fixture.py" "$T/fx" large >/dev/null
measure() {  # measure DIR cmd... -> "seconds maxrss_kb"
  local d=$1; shift
  /usr/bin/time -f '%e %M' -o "$T/time" "$@" >/dev/null 2>&1
  cat "$T/time"
}
best_d=999; best_h=999
for i in $(seq "$RUNS"); do
  for who in d h; do
    rm -rf "$T/$who"; mkdir "$T/$who"; cp -a "$T/fx/hafix-1.2.3" "$T/$who/"; cp "$T/fx/"*.orig.tar.gz "$T/$who/"
    sync
    if [ $who = d ]; then read -r s m < <(cd "$T/d" && measure . dpkg-source -b hafix-1.2.3); md=$m
    else read -r s m < <(measure . "$HAPKG" -q source build "$T/h/hafix-1.2.3"); mh=$m; fi
    if [ $who = d ]; then best_d=$(python3 -c "print(min($best_d,$s))"); else best_h=$(python3 -c "print(min($best_h,$s))"); fi
  done
done
cmp "$T/d/"*.debian.tar.xz "$T/h/"*.debian.tar.xz && cmp "$T/d/"*.dsc "$T/h/"*.dsc && echo "outputs: byte-identical"
echo "dpkg-source -b: ${best_d}s (peak RSS ${md} KB)"
echo "hapkg source build: ${best_h}s (peak RSS ${mh} KB)"
python3 -c "print('ratio (dpkg-source / hapkg): %.2fx' % ($best_d / $best_h))"
