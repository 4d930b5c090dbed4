// hapkg node upgrade: a thin front over node/node_upgrade.h.
#include <cstdlib>

#include "cli/command.h"
#include "node/node_upgrade.h"

namespace hapkg::cli {

void add_node_commands(CLI::App& app, GlobalOptions& g) {
  auto* node = app.add_subcommand("node", "A real node of the old release in a chroot (root; see upgrade-path.md)");
  node->require_subcommand(1);
  auto o = std::make_shared<node::NodeUpgradeOptions>();
  auto* up = node->add_subcommand(
      "upgrade", "Really upgrade a node with the archive and check it against upgrade-check's prediction");
  up->add_option("--archive,-A", o->archive, "Signed archive root (dists/SERIES, pool/)")->required();
  up->add_option("--key", o->key, "The archive's public key (signed-by= in the node)")->required();
  up->add_option("--series,-s", o->series, "Release of the node (default: bookworm)");
  up->add_option("--packages", o->packages,
                 "Packages of the node, installed without Recommends (default: the HA stack)")
      ->delimiter(',');
  up->add_option("--mirror", o->mirror, "Debian mirror (default: apt's own configuration)");
  up->add_option("--cache-dir", o->cache_dir,
                 "Node tarballs kept here (default: $HAPKG_CHROOT_CACHE/node, else /var/cache/hapkg/node)");
  up->add_option("--work-dir", o->work_dir, "Logs, status before/after, prediction.json, result.json")->required();
  up->add_option("--purge", o->purge, "Package purged after the upgrade, nothing of it may stay ('' = none)");
  up->add_option("--agents", o->agents_provider,
                 "OCF provider whose agents must be listed and validate ('' = none; default: openstack)");
  on_run(up, [&g, o] {
    if (o->cache_dir.empty()) {
      const char* shared = std::getenv("HAPKG_CHROOT_CACHE");
      // A subdirectory: the pipeline's binaries step hashes the files in the cache directory itself.
      o->cache_dir = std::string(shared && *shared ? shared : "/var/cache/hapkg") + "/node";
    }
    node::NodeUpgradeResult r = node::upgrade_node(*o);
    std::string text = r.ok ? "node upgrade " + o->series + ": ok (the real upgrade equals upgrade-check's prediction)\n"
                            : "node upgrade " + o->series + ": FAILED\n";
    for (const auto& f : r.failures) text += "  " + f + "\n";
    text += "details: " + o->work_dir + "/result.json\n";
    emit(g, r.json, text);
    return r.ok ? Exit::kOk : Exit::kProblem;
  });
}

}  // namespace hapkg::cli
