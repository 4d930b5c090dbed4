// hapkg report: the work-item status report (see tracker/report/report.h).
#include <iostream>

#include "cli/command.h"
#include "tracker/report/inputs.h"
#include "util/file.h"

namespace hapkg::cli {

void add_report_command(CLI::App& app, GlobalOptions& g) {
  struct Opts {
    std::string format, output, history, history_cache, release_date, track;
    bool git = false, lenient = false;
    std::vector<std::string> files;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("report", "Work-item status report from Launchpad blueprint work-item lists");
  cmd->add_option("--format", o->format, "md (default), json, html, or csv (the history's daily counts)")
      ->check(CLI::IsMember({"md", "json", "html", "csv"}));
  cmd->add_option("-o,--output", o->output, "Write the report to FILE (atomically) instead of stdout");
  auto* hist = cmd->add_option("--history", o->history, "Dated snapshots DIR/YYYY-MM-DD/<blueprint files>, or a CSV of daily counts "
                              "(date,todo,done,postponed,inprogress,blocked)");
  cmd->add_option("--history-cache", o->history_cache,
                  "With --history DIR: keep per-snapshot counts in FILE (used only when every file's name, size, "
                  "mtime, ctime and inode match)")
      ->needs(hist);
  cmd->add_flag("--git", o->git, "Build the history from each file's git log")->excludes(hist);
  cmd->add_option("--release-date", o->release_date, "YYYY-MM-DD: the burndown's ideal line reaches zero then");
  cmd->add_option("--track", o->track, "Output of `hapkg track --json`, for {packaged OP upstream SRC} checks");
  cmd->add_flag("--lenient", o->lenient, "Lines that match no rule become warnings (counted) instead of errors");
  cmd->add_option("FILE", o->files, "One work-item list per blueprint")->required();
  on_run(cmd, [o, &g] {
    tracker::Report r;
    tracker::WorkItemList list = tracker::read_blueprints(o->files, o->lenient);
    r.items = std::move(list.items);
    r.problems = std::move(list.problems);
    for (const auto& p : r.problems) spdlog::warn("{}: {}", p.where, p.problem);
    if (!o->release_date.empty()) r.release_date = tracker::checked_date(o->release_date, "--release-date");
    r.history = tracker::load_history({o->history, o->history_cache, o->git, o->lenient}, o->files);
    tracker::CheckContext ctx(o->track.empty() ? nlohmann::json() : tracker::read_track_results(o->track));
    tracker::evaluate_checks(r, ctx);
    std::string format = o->format.empty() ? (g.json ? "json" : "md") : o->format;
    std::string out = format == "csv"    ? tracker::render_history_csv(r.history)  // the history alone
                      : format == "json" ? tracker::render_json(r).dump(2) + "\n"
                      : format == "html" ? tracker::render_html(r)
                                         : tracker::render_markdown(r);
    if (!o->output.empty()) write_file_atomic(o->output, out);
    else std::cout << out << std::flush;
    if (format == "csv") return Exit::kOk;
    auto mismatches = tracker::mismatches(r);
    for (const auto& m : mismatches) spdlog::warn("{}", m);
    return mismatches.empty() ? Exit::kOk : Exit::kProblem;
  });
}

}  // namespace hapkg::cli
