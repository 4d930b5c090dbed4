// publish and verify: the signed uploads into the local archive (one suite
// per target series, exported signed), and the upgrade proof for each
// series: a node of the old release with the HA stack installed, upgraded
// with the archive, checked by upgrade-check and by apt-get -s on the same
// sandbox root.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/manifest.h"
#include "pipeline/signing.h"

namespace hapkg::pipeline {

// One writer of the archive at a time: the threads of a run (-j) and other
// runs sharing it. The lock file is beside the archive, not in it:
// process-incoming swaps the archive's directory for a new one.
class ArchiveLock {
 public:
  explicit ArchiveLock(const std::string& archive);
  ~ArchiveLock();
  ArchiveLock(const ArchiveLock&) = delete;
  ArchiveLock& operator=(const ArchiveLock&) = delete;

 private:
  std::unique_lock<std::mutex> threads_;
  int fd_ = -1;
};

// Creates the archive and the suite when they are new (the lock held).
void ensure_suite(const std::string& archive, const std::string& suite);

// Includes the uploads (.changes, each verified by the archive) into
// `suite`, creating the suite when it is new, then exports the archive
// signed. Returns "name version arch" of what was added.
std::vector<std::string> publish_uploads(const std::string& archive, const std::string& suite,
                                         const std::vector<std::string>& changes, const SigningKey& key);
// The same with the lock already held.
std::vector<std::string> include_and_export(const std::string& archive, const std::string& suite,
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
