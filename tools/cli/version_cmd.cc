// hapkg version compare|check|next: thin fronts over deb/version*.h.
#include <iostream>

#include "cli/command.h"
#include "deb/version.h"
#include "deb/version_next.h"

namespace hapkg::cli {

void add_version_commands(CLI::App& app, GlobalOptions& g) {
  auto* version = app.add_subcommand("version", "Debian version strings: compare, check, propose the next");
  version->require_subcommand(1);

  auto* compare = version->add_subcommand(
      "compare", "Compare A OP B exactly like dpkg --compare-versions (exit 0 true, 1 false, 2 invalid)");
  static std::string a, op, b;
  compare->add_option("A", a, "First version")->required();
  compare->add_option("OP", op, "lt le eq ne ge gt, << <= = >= >>, or lt-nl le-nl ge-nl gt-nl")->required();
  compare->add_option("B", b, "Second version")->required();
  on_run(compare, [&g] {
    deb::CompareOutcome r = deb::dpkg_compare_versions(a, op, b);
    for (const auto& w : r.warnings) spdlog::warn("{}", w);
    if (!r.error.empty()) throw InputError(r.error);
    emit(g, {{"a", a}, {"op", op}, {"b", b}, {"result", r.exit_code == 0}}, g.json ? "" : "");
    return static_cast<Exit>(r.exit_code);
  });

  auto* check = version->add_subcommand("check", "Validate versions by dpkg's rules and split them");
  static std::vector<std::string> versions;
  check->add_option("VERSION", versions, "Versions to check")->required();
  on_run(check, [&g] {
    nlohmann::json out = nlohmann::json::array();
    std::string text;
    bool all_ok = true;
    for (const auto& v : versions) {
      deb::VersionCheck c = deb::check_version(v);
      all_ok &= c.ok();
      nlohmann::json j = {{"version", v}, {"valid", c.ok()}};
      if (!c.ok()) {
        j["problem"] = c.problem;
        text += v + ": invalid: " + c.problem + "\n";
      } else {
        j["epoch"] = c.parts.has_epoch ? c.parts.epoch : "";
        j["upstream"] = c.parts.upstream;
        j["revision"] = c.parts.revision;
        text += v + ": epoch=" + (c.parts.has_epoch ? c.parts.epoch : "0") + " upstream=" + c.parts.upstream +
                " revision=" + (c.parts.has_revision ? c.parts.revision : "(native)") + "\n";
      }
      out.push_back(j);
    }
    emit(g, out, text);
    return all_ok ? Exit::kOk : Exit::kUsage;
  });

  auto* next = version->add_subcommand("next", "Propose the next version for an Ubuntu, PPA, backport or new upstream upload");
  static std::string current;
  static deb::NextVersionRequest req;
  static std::vector<std::string> against;
  next->add_option("CURRENT", current, "The current version (e.g. the changelog's)")->required();
  next->add_flag("--ubuntu", req.ubuntu, "Ubuntu upload: 2.0-2 -> 2.0-2ubuntu1, ubuntuN -> ubuntuN+1, buildN -> ubuntu1");
  next->add_flag("--ppa", req.ppa, "PPA upload kept below the next official one (~ppa1)");
  next->add_option("--backport", req.backport_series, "Backport to a series version, e.g. 22.04 (~22.04.1)");
  next->add_option("--new-upstream", req.new_upstream, "New upstream version UPVER");
  next->add_option("--check-against", against, "Prove the result is greater than each of these versions");
  on_run(next, [&g] {
    std::string proposed = deb::next_version(current, req);
    nlohmann::json j = {{"current", current}, {"next", proposed}};
    std::string text = proposed;
    Exit code = Exit::kOk;
    if (!against.empty()) {
      deb::AgainstCheck c = deb::check_greater_than_all(proposed, against);
      j["check_against"] = against;
      j["ok"] = c.ok;
      j["problems"] = c.problems;
      for (const auto& p : c.problems) spdlog::error("{}", p);
      if (c.ok) spdlog::info("{} is greater than {} version(s) given", proposed, against.size());
      code = c.ok ? Exit::kOk : Exit::kProblem;
    }
    emit(g, j, text);
    return code;
  });
}

}  // namespace hapkg::cli
