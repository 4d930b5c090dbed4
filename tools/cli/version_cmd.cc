// hapkg version compare|check|next: thin fronts over deb/version*.h.
#include <memory>

#include "cli/command.h"
#include "deb/version.h"
#include "deb/version_next.h"

namespace hapkg::cli {

void add_version_commands(CLI::App& app, GlobalOptions& g) {
  auto* version = app.add_subcommand("version", "Debian version strings: compare, check, propose the next");
  version->require_subcommand(1);

  auto* compare = version->add_subcommand(
      "compare", "Compare A OP B exactly like dpkg --compare-versions (exit 0 true, 1 false, 2 invalid)");
  struct CompareArgs {
    std::string a, op, b;
  };
  auto cmp = std::make_shared<CompareArgs>();
  compare->add_option("A", cmp->a, "First version")->required();
  compare->add_option("OP", cmp->op, "lt le eq ne ge gt, << <= = >= >>, or lt-nl le-nl ge-nl gt-nl")->required();
  compare->add_option("B", cmp->b, "Second version")->required();
  on_run(compare, [&g, cmp] {
    deb::CompareOutcome r = deb::dpkg_compare_versions(cmp->a, cmp->op, cmp->b);
    for (const auto& w : r.warnings) spdlog::warn("{}", w);
    if (!r.error.empty()) throw InputError(r.error);
    spdlog::debug("'{}' {} '{}': {}", cmp->a, cmp->op, cmp->b, r.exit_code == 0 ? "true" : "false");
    // Like dpkg, the answer is the exit code; --json also prints it.
    emit(g, {{"a", cmp->a}, {"op", cmp->op}, {"b", cmp->b}, {"result", r.exit_code == 0}}, "");
    return static_cast<Exit>(r.exit_code);
  });

  auto* check = version->add_subcommand("check", "Validate versions by dpkg's rules and split them");
  auto versions = std::make_shared<std::vector<std::string>>();
  check->add_option("VERSION", *versions, "Versions to check (exit 2 when one is invalid)")->required();
  on_run(check, [&g, versions] {
    nlohmann::json out = nlohmann::json::array();
    std::string text;
    bool all_ok = true;
    for (const auto& v : *versions) {
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
  struct NextArgs {
    std::string current;
    deb::NextVersionRequest req;
    std::vector<std::string> against;
  };
  auto nx = std::make_shared<NextArgs>();
  next->add_option("CURRENT", nx->current, "The current version (e.g. the changelog's)")->required();
  next->add_flag("--ubuntu", nx->req.ubuntu,
                 "Ubuntu upload: 2.0-2 -> 2.0-2ubuntu1, ubuntuN -> ubuntuN+1, buildN -> ubuntu1");
  next->add_flag("--ppa", nx->req.ppa, "PPA upload kept below the next official one (~ppa1)");
  next->add_option("--backport", nx->req.backport_series, "Backport to a series version, e.g. 22.04 (~22.04.1)");
  next->add_option("--new-upstream", nx->req.new_upstream, "New upstream version UPVER");
  next->add_option("--check-against", nx->against,
                   "Prove the result is greater than each of these versions (exit 1 when not)");
  on_run(next, [&g, nx] {
    const auto& against = nx->against;
    std::string proposed = deb::next_version(nx->current, nx->req);
    spdlog::debug("next version after {}: {}", nx->current, proposed);
    nlohmann::json j = {{"current", nx->current}, {"next", proposed}};
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
