// publish and verify: the signed uploads into the local archive (one suite
// per target series, exported signed), and the upgrade proof for each
// series: a node of the old release with the HA stack installed, upgraded
// with the archive, checked by upgrade-check and by apt-get -s on the same
// sandbox root.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/manifest.h"
#include "pipeline/signing.h"

namespace hapkg::pipeline {

// Includes the uploads (.changes, each verified by the archive) into
// `suite`, creating the suite when it is new, then exports the archive
// signed. Returns "name version arch" of what was added.
std::vector<std::string> publish_uploads(const std::string& archive, const std::string& suite,
                                         const std::vector<std::string>& changes, const SigningKey& key);

struct UpgradeProof {
  bool ok = false;
  nlohmann::json report;             // upgrade-check's
  std::vector<std::string> apt_get;  // apt-get -s dist-upgrade's Inst/Remv lines
  std::string why;                   // one line when not ok
  std::string final_status;          // the node's dpkg status after the upgrade (+ .extended_states)
};

// `root` is where the sandbox root is kept (for apt-get and the log).
UpgradeProof prove_upgrade(const SeriesEntry& series, const std::string& archive, const std::string& root);

}  // namespace hapkg::pipeline
