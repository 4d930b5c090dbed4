#!/bin/bash
# hapkg source build vs dpkg-source -b on the large fixture (73 MB, 5235
# files, 22 patches), interleaved in the same run, each on its own fresh copy
# of the same tree. Prints the load average, best wall time of each, the
# ratio, both peak RSS values, and checks the outputs are byte-identical.
# Peak RSS: GNU time's %M, i.e. ru_maxrss from wait4 = the largest peak RSS
# of any single process in the tool's process tree (perl or xz for
# dpkg-source; hapkg or its xz/patch children for hapkg), the same measure
# for both tools.
# Usage: bench/source_build.sh [path/to/hapkg] [runs]
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin  # Debian's tools only, for both sides
HAPKG=${1:-build/tools/cli/hapkg}; RUNS=${2:-5}
HAPKG=$(readlink -f "$HAPKG")
HERE=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
python3 "$HERE/tests/source/make_fixture.py" "$T/fx" large >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
maxof() { python3 -c "import sys; print(max(int(x) for x in sys.argv[1:]))" "$@"; }
td=(); th=(); md=(); mh=()
for i in $(seq "$RUNS"); do
  for who in d h; do
    rm -rf "${T:?}/$who"; mkdir "$T/$who"; cp -a "$T/fx/hafix-1.2.3" "$T/$who/"; cp "$T/fx/"*.orig.tar.gz "$T/$who/"
    sync
    if [ $who = d ]; then
      (cd "$T/d" && /usr/bin/time -f '%e %M' -o "$T/time" dpkg-source -b hafix-1.2.3 >/dev/null 2>&1)
      read -r s m < "$T/time"; td+=("$s"); md+=("$m")
    else
      /usr/bin/time -f '%e %M' -o "$T/time" "$HAPKG" -q source build "$T/h/hafix-1.2.3" >/dev/null
      read -r s m < "$T/time"; th+=("$s"); mh+=("$m")
    fi
  done
  cmp -s "$T/d/"*.debian.tar.xz "$T/h/"*.debian.tar.xz && cmp -s "$T/d/"*.dsc "$T/h/"*.dsc ||
    { echo "outputs differ in run $i" >&2; exit 1; }
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "outputs: byte-identical (.dsc and .debian.tar.xz, every run)"
echo "dpkg-source -b wall (s): ${td[*]}; best $(best "${td[@]}"); peak RSS max $(maxof "${md[@]}") KB"
echo "hapkg source build wall (s): ${th[*]}; best $(best "${th[@]}"); peak RSS max $(maxof "${mh[@]}") KB"
python3 -c "print('ratio (best dpkg-source / best hapkg): %.2fx' % ($(best "${td[@]}") / $(best "${th[@]}")))"
