// A real node upgrade that proves (or refutes) upgrade-check's answer: a
// node of the old release made by mmdebstrap from the real archive (the HA
// stack installed, no Recommends), the pipeline's signed archive added with
// signed-by= its key, `hapkg upgrade-check` run on that node's own dpkg
// status and apt lists, then a real `apt-get dist-upgrade -y` in the chroot
// (policy-rc.d: no daemon starts), and the real change set compared with
// the prediction; then dpkg --audit, the OCF agents (crm_resource
// --list-agents, meta-data against the OCF DTD) and a purge that must leave
// nothing behind. What piuparts catches and no simulation can: file
// overwrites without Replaces, failing maintainer scripts, leftover files.
//
// Why a library of its own (tools/node) and not part of tools/upgrade:
// hapkg_upgrade is the simulation (no root, a sandbox, never the system);
// this needs root, mmdebstrap and a chroot, and uses both hapkg_upgrade
// (the prediction) and hapkg_build (the cached tarballs and the chroot
// session, so there is one chroot helper).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace hapkg::node {

struct NodeUpgradeOptions {
  std::string archive;   // signed archive root (dists/<series>, pool/)
  std::string key;       // its public key (armored or binary)
  std::string series = "bookworm";
  std::vector<std::string> packages{"pacemaker", "corosync", "resource-agents", "crmsh", "pcs", "fence-agents"};
  std::string mirror;     // "" = apt's own configuration
  std::string cache_dir;  // node tarballs (kept between runs)
  std::string work_dir;   // outputs: node.log, upgrade.log, status.before/after, prediction.json, result.json
  std::string purge = "resource-agents-openstack";  // "" = no purge check
  std::string agents_provider = "openstack";         // "" = no agent checks
};

struct NodeUpgradeResult {
  bool ok = false;
  std::vector<std::string> failures;  // one line each, naming the package
  nlohmann::json json;                // everything measured (result.json)
};

// Needs root (mmdebstrap --mode=root, chroot). InputError (exit 2) for bad
// options, OperationError (exit 3) when the node cannot be made; what the
// upgrade itself finds goes into `failures`.
NodeUpgradeResult upgrade_node(const NodeUpgradeOptions& options);

// --- the pure parts (unit-tested) ---

// Packages whose files are on the system (every dpkg state but
// not-installed and config-files): name (":arch" when the architecture is
// neither `native` nor all) -> version. InputError "file:line" on a stanza
// without Package/Status.
std::map<std::string, std::string> installed_packages(const std::string& status_text, const std::string& file,
                                                      const std::string& native);

struct Change {
  std::string package, from, to;  // from "" = installed, to "" = removed
};
struct StatusDiff {
  std::vector<Change> upgraded, installed, removed;  // sorted by package; upgraded includes downgrades
};
StatusDiff diff_status(const std::map<std::string, std::string>& before,
                       const std::map<std::string, std::string>& after);

// upgrade-check's report ("upgraded", "downgraded", "new", "removed") against
// the real change set: one line per difference, naming the packages.
std::vector<std::string> compare_prediction(const nlohmann::json& report, const StatusDiff& real);

struct DpkgError {
  std::string package;  // from dpkg's "error processing archive|package" line
  std::string message;  // dpkg's own error line (the indented one after it)
};
// dpkg's errors in apt-get's output, in order.
std::vector<DpkgError> dpkg_errors(const std::string& apt_output);

// Of the paths `dpkg -L` listed for a purged package: those still in `root`
// that no other package owns (`owned`: every path of the remaining .list
// files). A directory another package lists may stay.
std::vector<std::string> leftover_files(const std::vector<std::string>& listed, const std::string& root,
                                        const std::set<std::string>& owned);
// The Packages indices in ROOT/var/lib/apt/lists: list-file name -> host
// path of its content. apt keeps an uncompressed file: index as a symlink
// to its source path inside the root; that link is followed within ROOT.
std::map<std::string, std::string> package_lists(const std::string& root);

// Every path listed in ROOT/var/lib/dpkg/info/*.list.
std::set<std::string> owned_paths(const std::string& root);

}  // namespace hapkg::node
