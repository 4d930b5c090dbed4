# Helpers of the topology tests (sourced after tests/agents/lib.sh).

# seed_cib FILE: an empty CIB of this pacemaker (cibadmin --empty: its own
# feature set) with the reference configuration's three nodes.
seed_cib() {
  cibadmin --empty >"$1"
  local n
  for n in 1 2 3; do
    CIB_file="$1" cibadmin --create -o nodes --xml-text "<node id=\"$n\" uname=\"node$n\"/>" || return 1
  done
}
