// hapkg upgrade-check: a thin front over upgrade/check.h.
#include <algorithm>

#include "upgrade/check.h"
#include "cli/command.h"
#include "util/file.h"

namespace hapkg::cli {

void add_upgrade_commands(CLI::App& app, GlobalOptions& g) {
  struct Args {
    upgrade::UpgradeOptions o;
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
  cmd->add_option("--extended-states", a->o.extended_states,
                  "apt's extended_states for --status (auto-installed flags: what autoremove would remove)");
  cmd->add_option("--installed", a->o.installed, "Installed set on the old release (closure computed)")
      ->delimiter(',');
  cmd->add_option("--arch", a->o.architectures, "Architectures, native first (default: the machine's)")
      ->delimiter(',');
  cmd->add_option("--mode", a->o.mode, "dist-upgrade (default), upgrade, upgrade-new");
  cmd->add_option("--expect-installed", a->o.expect_installed, "Assert PKG is installed afterwards");
  cmd->add_option("--expect-version", a->o.expect_version, "Assert 'PKG (>= V)' afterwards");
  cmd->add_flag("--expect-no-removals", a->o.expect_no_removals, "Assert nothing is removed");
  cmd->add_flag("--expect-no-held", a->o.expect_no_held, "Assert nothing is held back");
  cmd->add_flag("--expect-ppa-installable", a->o.expect_ppa_installable,
                "Assert every PPA package can be installed on the new release");
  cmd->add_flag("--expect-ppa-apt-installable", a->o.expect_ppa_apt_installable,
                "Assert every PPA package, each alone, installs on the node before the upgrade (apt-get install "
                "PKG=VERSION, apt's solver)");
  cmd->add_flag("--expect-ppa-below-new", a->o.expect_ppa_below_new,
                "Assert every PPA version sorts below the new release's version of the package");
  cmd->add_option("--scenarios", a->scenarios,
                  "deb822 file of scenarios checked in one run; one that cannot run is reported (file:line) as its "
                  "own error result and the rest still run (exit 2/3 then)");
  cmd->add_option("--junit", a->junit, "Write a JUnit XML report here");
  cmd->add_option("--keep-root", a->o.keep_root, "Build the sandbox apt root here and keep it (APT_CONFIG=DIR/apt.conf)");
  on_run(cmd, [&g, a] {
    for (const auto& p : a->pins) upgrade::parse_pin(p, a->o);
    std::vector<upgrade::UpgradeOptions> runs;
    if (!a->scenarios.empty()) runs = upgrade::read_scenarios(a->scenarios, a->o);
    else runs.push_back(a->o);
    if (a->scenarios.empty()) {  // one check: its error is the command's
      nlohmann::json r = upgrade::run_upgrade_check(runs.front());
      if (!a->junit.empty()) write_file_atomic(a->junit, upgrade::render_junit({r}));
      emit(g, r, upgrade::render_upgrade_text(r));
      return r["ok"].get<bool>() ? Exit::kOk : Exit::kProblem;
    }
    // scenarios: each one's error is its own result; the others still run
    std::vector<nlohmann::json> reports = upgrade::run_upgrade_checks(runs);
    bool ok = true;
    int error_code = 0;
    std::string text;
    for (const auto& r : reports) {
      ok = ok && r["ok"].get<bool>();
      if (int code = upgrade::report_error_code(r)) {
        error_code = std::max(error_code, code);
        spdlog::error("{}", r["error"].get<std::string>());
      }
      text += (text.empty() ? "" : "\n\n") + upgrade::render_upgrade_text(r);
    }
    if (!a->junit.empty()) write_file_atomic(a->junit, upgrade::render_junit(reports));
    emit(g, nlohmann::json(reports), text);
    if (error_code != 0) return static_cast<Exit>(error_code);
    return ok ? Exit::kOk : Exit::kProblem;
  });
}

}  // namespace hapkg::cli
