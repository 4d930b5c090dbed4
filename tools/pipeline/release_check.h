// verify's checks beyond the upgrade on the old release (publish.h):
//  - every package of the archive installable on the old-release node, as
//    `apt-get install PKG=VERSION` would (upgrade-check's answer, then the
//    real apt-get -s on the same root);
//  - the release upgrade: the node upgraded with the archive, moved to the
//    next release (archive still in its sources), must upgrade with no
//    removal, held package or broken package that the archive causes. What
//    the archive causes is what the same node *without* the archive does
//    not suffer on the same release upgrade (the baseline): bookworm ->
//    trixie removes 28 t64-renamed libraries on every node, archive or not.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/manifest.h"

namespace hapkg::pipeline {

// `report`: upgrade-check's, run with expect_ppa_apt_installable on `root`.
// One line per archive package apt-get -s install refuses (with apt's
// reason) or where apt-get and upgrade-check disagree; empty when all are
// installable.
std::vector<std::string> cross_check_installs(const nlohmann::json& report, const std::string& root);

// The release-upgrade problems the archive causes: `with_archive` and
// `baseline` are upgrade-check reports (to the next release, with and
// without the archive); `archive_packages` the binary packages it holds.
std::vector<std::string> release_blockers(const nlohmann::json& with_archive, const nlohmann::json& baseline,
                                          const std::set<std::string>& archive_packages);

struct ReleaseProof {
  bool ok = false;
  nlohmann::json with_archive, baseline;  // the two reports
  std::vector<std::string> blockers;      // release_blockers + apt-get -s dist-upgrade's disagreements
  std::vector<std::string> apt_get;       // apt-get -s dist-upgrade's Remv lines (with the archive)
};

// `status`: the node after the upgrade with the archive (its dpkg status,
// with `status`.extended_states beside it). `root`: where the sandbox roots
// are kept.
ReleaseProof prove_release_upgrade(const SeriesEntry& series, const std::string& archive, const std::string& status,
                                   const std::string& root);

}  // namespace hapkg::pipeline
