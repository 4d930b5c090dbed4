#include "pipeline/report.h"

#include "tracker/report/report.h"
#include "util/file.h"
#include "util/xml_escape.h"

namespace hapkg::pipeline {

namespace {
std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

std::string steps_markdown(const StateStore& state) {
  std::string s = "\n# Pipeline steps\n\n| package | step | result | seconds | log |\n|---|---|---|---|---|\n";
  for (const auto& r : state.all())
    s += "| " + r.package + " | " + r.step + " | " + r.result + (r.detail.empty() ? "" : ": " + r.detail) + " | " +
         std::to_string(static_cast<int>(r.seconds + 0.5)) + " | " + r.log + " |\n";
  return s;
}
}  // namespace

RunReport write_run_report(const Manifest& m, const StateStore& state, const std::string& out) {
  tracker::Report rep;
  for (const auto& f : m.work_items) {
    tracker::WorkItemList l;
    tracker::read_workitems(f, false, l);
    for (auto& it : l.items) {
      it.check = replace_all(it.check, "@ARCHIVE@", m.archive);
      rep.items.push_back(it);
    }
  }
  tracker::CheckContext ctx;
  tracker::evaluate_checks(rep, ctx);
  RunReport r;
  for (std::size_t i = 0; i < rep.items.size(); ++i) {
    if (rep.checks[i] && rep.checks[i]->holds) rep.items[i].status = tracker::ItemStatus::kDone;
    r.done += rep.items[i].status == tracker::ItemStatus::kDone;
  }
  r.total = static_cast<int>(rep.items.size());
  r.markdown = out + "/report.md";
  r.html = out + "/report.html";
  std::string steps = steps_markdown(state);
  write_file_atomic(r.markdown, tracker::render_markdown(rep) + steps);
  std::string html = tracker::render_html(rep);
  auto body_end = html.rfind("</body>");
  std::string table = "<h1>Pipeline steps</h1><pre>" + xml_escape(steps) + "</pre>";
  html = body_end == std::string::npos ? html + table : html.insert(body_end, table);
  write_file_atomic(r.html, html);
  return r;
}

}  // namespace hapkg::pipeline
