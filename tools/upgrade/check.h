// hapkg upgrade-check: what apt would do when a node moves from an installed
// set to new release indices (plus PPAs), computed in-process with
// libapt-pkg in a private sandbox root. Never reads or writes the system's
// apt or dpkg state and needs no root.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hapkg::upgrade {

struct UpgradeOptions {
  std::string name;                       // scenario name (report/JUnit)
  std::vector<std::string> old_indices;   // for --installed closures
  std::vector<std::string> new_indices;
  std::vector<std::string> ppa_indices;
  std::string old_suite, new_suite, ppa_suite;  // for archive roots (dists/<suite>/...)
  std::string status;                     // dpkg status file
  std::string extended_states;            // apt's auto-installed flags for `status` (Dir::State::extended_states)
  std::vector<std::string> installed;     // --installed: closure on the old release
  std::vector<std::string> architectures; // first = native; default: the machine's
  std::string mode = "dist-upgrade";      // dist-upgrade | upgrade | upgrade-new
  int pin = 0;                            // pin priority of every PPA (0 = apt's default 500)
  std::vector<std::pair<std::string, int>> ppa_pins;  // per PPA: (--ppa value, priority), overrides `pin`
  std::string keyring;                    // mirror URLs: gpgv keyring (default: debian-archive-keyring)
  bool allow_unsigned = false;            // mirror URLs: accept a Release without a valid signature
  std::string cache_dir;                  // keep parsed index sets here between runs ("" = per run)
  int jobs = 0;                           // scenarios checked at once (0 = number of CPUs)
  std::vector<std::string> expect_installed, expect_version;
  bool expect_no_removals = false, expect_no_held = false;
  bool expect_ppa_installable = false;    // fail when a PPA package cannot be installed on the new release
  // fail when a PPA package cannot be installed on the node as it is (before
  // the upgrade), each alone, as `apt-get install PKG=VERSION` (apt's solver)
  bool expect_ppa_apt_installable = false;
  bool expect_ppa_below_new = false;      // fail when a PPA version is not below the new release's
  std::string final_status;               // write the node's dpkg status after the upgrade here (+ .extended_states)
  std::string keep_root;                  // write the sandbox root here (for apt-get comparisons)
  // --scenarios: where the paragraph starts ("file:line"), and the first
  // problem reading it (already "file:line: ..."); the check then reports
  // that error instead of running
  std::string where, input_error;
};

// Validates inputs (InputError, exit 2) and runs the check in a child process
// (libapt-pkg keeps process-global state). Returns the report as JSON with
// "ok" (nothing broken and every assertion holds).
nlohmann::json run_upgrade_check(const UpgradeOptions& options);

// Several checks in one run: each distinct index set is parsed once (apt's
// srcpkgcache.bin, shared by the checks that use it), then up to
// runs.front().jobs checks run at once, each in its own processes. Reports
// come back in the order of `runs`. A check that cannot run (bad input,
// unreadable indices) gets an error report instead, and the others still
// run: {"scenario", "ok": false, "error": "file:line: ...", "exit_code": 2|3}.
std::vector<nlohmann::json> run_upgrade_checks(const std::vector<UpgradeOptions>& runs);

// The exit code an error report stands for (0 for a report that ran).
int report_error_code(const nlohmann::json& report);

// Parses `--pin` values: "PRIO" (every PPA) or "INDEX=PRIO" (the --ppa given
// as INDEX). InputError for anything else.
void parse_pin(const std::string& value, UpgradeOptions& o);

// Reads a --scenarios deb822 file: one paragraph per scenario, fields named
// like the options (Name, Old, New, PPA, Status, Installed, Mode, Arch, Pin,
// Expect-Installed, Expect-Version, Expect-No-Removals, Expect-No-Held,
// Expect-PPA-Installable, Expect-PPA-Apt-Installable, Expect-PPA-Below-New,
// Extended-States). `defaults` supplies what a
// paragraph leaves out. A paragraph's own problem is kept in its
// input_error (the other scenarios still run); a file that cannot be read
// at all throws.
std::vector<UpgradeOptions> read_scenarios(const std::string& file, const UpgradeOptions& defaults);

std::string render_upgrade_text(const nlohmann::json& report);
std::string render_junit(const std::vector<nlohmann::json>& reports);

}  // namespace hapkg::upgrade
