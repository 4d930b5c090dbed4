// hapkg upgrade-check: a thin front over archive/upgrade_check.h.
#include "upgrade/check.h"
#include "cli/command.h"
#include "util/file.h"

namespace hapkg::cli {

void add_upgrade_commands(CLI::App& app, GlobalOptions& g) {
  struct Args {
    archive::UpgradeOptions o;
    std::string scenarios, junit;
    std::vector<std::string> pins;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("upgrade-check", "What apt would do on a release upgrade (libapt-pkg, no root)");
  cmd->add_option("--old", a->o.old_indices, "Old release index (Packages file, directory, archive root or http(s) URL)");
  cmd->add_option("--old-suite", a->o.old_suite, "Suite for an archive-root --old");
  cmd->add_option("--new", a->o.new_indices, "New release index (Packages file, directory, archive root or http(s) URL)");
  cmd->add_option("--new-suite", a->o.new_suite, "Suite for an archive-root --new");
  cmd->add_option("--ppa", a->o.ppa_indices, "PPA index (Packages file, directory or archive root)");
  cmd->add_option("--ppa-suite", a->o.ppa_suite, "Suite for an archive-root --ppa");
  cmd->add_option("--pin", a->pins,
                  "PPA pin priority: PRIO for every --ppa, or INDEX=PRIO for the --ppa given as INDEX (default: apt's 500)");
  cmd->add_option("--keyring", a->o.keyring,
                  "Keyring gpgv checks a mirror's InRelease/Release.gpg with (default: debian-archive-keyring)");
  cmd->add_flag("--allow-unsigned", a->o.allow_unsigned,
                "Accept mirror indices without a valid signature (like [trusted=yes]); hashes are still checked");
  cmd->add_option("--cache-dir", a->o.cache_dir, "Keep the parsed index sets here and reuse them in later runs");
  cmd->add_option("--jobs", a->o.jobs, "Scenarios checked at once (default: the number of CPUs)");
  cmd->add_option("--status", a->o.status, "dpkg status file of the node before the upgrade");
  cmd->add_option("--installed", a->o.installed, "Installed set on the old release (closure computed)")
      ->delimiter(',');
  cmd->add_option("--arch", a->o.architectures, "Architectures, native first (default: the machine's)")
      ->delimiter(',');
  cmd->add_option("--mode", a->o.mode, "dist-upgrade (default), upgrade, upgrade-new");
  cmd->add_option("--expect-installed", a->o.expect_installed, "Assert PKG is installed afterwards");
  cmd->add_option("--expect-version", a->o.expect_version, "Assert 'PKG (>= V)' afterwards");
  cmd->add_flag("--expect-no-removals", a->o.expect_no_removals, "Assert nothing is removed");
  cmd->add_flag("--expect-no-held", a->o.expect_no_held, "Assert nothing is held back");
  cmd->add_option("--scenarios", a->scenarios, "deb822 file of scenarios checked in one run");
  cmd->add_option("--junit", a->junit, "Write a JUnit XML report here");
  cmd->add_option("--keep-root", a->o.keep_root, "Build the sandbox apt root here and keep it (APT_CONFIG=DIR/apt.conf)");
  on_run(cmd, [&g, a] {
    for (const auto& p : a->pins) archive::parse_pin(p, a->o);
    std::vector<archive::UpgradeOptions> runs;
    if (!a->scenarios.empty()) runs = archive::read_scenarios(a->scenarios, a->o);
    else runs.push_back(a->o);
    std::vector<nlohmann::json> reports = archive::run_upgrade_checks(runs);
    bool ok = true;
    std::string text;
    for (const auto& r : reports) {
      ok = ok && r["ok"].get<bool>();
      text += (text.empty() ? "" : "\n\n") + archive::render_upgrade_text(r);
    }
    if (!a->junit.empty()) write_file_atomic(a->junit, archive::render_junit(reports));
    emit(g, a->scenarios.empty() ? reports.front() : nlohmann::json(reports), text);
    return ok ? Exit::kOk : Exit::kProblem;
  });
}

}  // namespace hapkg::cli
