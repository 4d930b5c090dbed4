// hapkg report: the work-item status report (see tracker/report/report.h).
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "tracker/report/report.h"
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
    tracker::WorkItemList list;
    for (const auto& f : o->files) tracker::read_workitems(f, o->lenient, list);
    r.items = std::move(list.items);
    r.problems = std::move(list.problems);
    for (const auto& p : r.problems) spdlog::warn("{}: {}", p.where, p.problem);
    if (!o->release_date.empty()) {
      if (o->release_date.size() != 10 || o->release_date[4] != '-' || o->release_date[7] != '-')
        throw InputError("--release-date: expected YYYY-MM-DD, got '" + o->release_date + "'");
      r.release_date = o->release_date;
    }
    if (!o->history.empty())
      r.history = std::filesystem::is_directory(o->history)
                      ? tracker::history_from_dir(o->history, {o->lenient, o->history_cache, 0})
                      : tracker::history_from_csv(o->history);
    if (o->git) r.history = tracker::history_from_git(o->files, o->lenient);
    nlohmann::json track = nullptr;
    if (!o->track.empty()) {
      try {
        track = nlohmann::json::parse(read_file(o->track));
      } catch (const nlohmann::json::exception& e) {
        throw InputError(o->track, 0, std::string("not JSON: ") + e.what());
      }
    }
    tracker::CheckContext ctx(track);
    tracker::evaluate_checks(r, ctx);
    std::string format = o->format.empty() ? (g.json ? "json" : "md") : o->format;
    if (format == "csv") {  // the burndown history alone, to keep as a CSV
      std::string csv = tracker::render_history_csv(r.history);
      if (!o->output.empty()) write_file_atomic(o->output, csv);
      else std::cout << csv << std::flush;
      return Exit::kOk;
    }
    std::string out = format == "json"   ? tracker::render_json(r).dump(2) + "\n"
                      : format == "html" ? tracker::render_html(r)
                                         : tracker::render_markdown(r);
    if (!o->output.empty()) write_file_atomic(o->output, out);
    else std::cout << out << std::flush;
    bool mismatch = false;
    for (std::size_t i = 0; i < r.items.size(); ++i)
      if (r.checks[i] && tracker::check_disagrees(r.items[i], *r.checks[i])) {
        mismatch = true;
        spdlog::warn("{}:{}: written {} but the check says {}: {}", r.items[i].file, r.items[i].line,
                     tracker::status_name(r.items[i].status), r.checks[i]->holds ? "DONE" : "not done",
                     r.checks[i]->detail);
      }
    return mismatch ? Exit::kProblem : Exit::kOk;
  });
}

}  // namespace hapkg::cli
