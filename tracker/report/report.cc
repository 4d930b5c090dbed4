#include "tracker/report/report.h"

#include <algorithm>

#include "util/error.h"
#include "util/file.h"
#include "tracker/report/summary.h"

namespace hapkg::tracker {
namespace {

std::string esc_md(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<') o.push_back('\\');
    o.push_back(c);
  }
  return o;
}

}  // namespace

Counts count(const std::vector<WorkItem>& items) {
  Counts c{};
  for (const auto& i : items) c[static_cast<int>(i.status)]++;
  return c;
}

bool check_disagrees(const WorkItem& item, const CheckOutcome& c) {
  if (item.status == ItemStatus::kPostponed) return false;
  return (item.status == ItemStatus::kDone) != c.holds;
}

void evaluate_checks(Report& r, CheckContext& ctx) {
  r.checks.assign(r.items.size(), std::nullopt);
  for (std::size_t i = 0; i < r.items.size(); ++i)
    if (!r.items[i].check.empty()) r.checks[i] = ctx.evaluate(r.items[i]);
}

std::string render_markdown(const Report& r) {
  Completion c = completion(count(r.items));
  std::string s = "# Work item status\n\n";
  s += "Completion: **" + c.of_all() + "** of all items (DONE / TOTAL = " + std::to_string(c.done) + "/" +
       std::to_string(c.all) + "); **" + c.of_not_postponed() + "** of the items not postponed (DONE / (TOTAL - " +
       "POSTPONED) = " + std::to_string(c.done) + "/" + std::to_string(c.not_postponed()) + ").\n\n";
  for (const auto& sec : sections(r.items)) {
    s += std::string("## ") + sec.title + "\n\n| " + sec.first + " |";
    for (const char* h : kSummaryColumns) s += std::string(" ") + h + " |";
    s += "\n|---|";
    for (std::size_t k = 0; k < std::size(kSummaryColumns); ++k) s += "---:|";
    s += "\n";
    for (const auto& row : rows_of(sec.groups)) {
      s += "| " + esc_md(row.front()) + " |";
      for (std::size_t k = 1; k < row.size(); ++k) s += " " + row[k] + " |";
      s += "\n";
    }
    s += "\n";
  }
  bool any_check = false;
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    if (!r.checks.size() || !r.checks[i]) continue;
    if (!any_check) s += "## Linked checks\n\n| Blueprint | Item | Written | Checked | Found |\n|---|---|---|---|---|\n";
    any_check = true;
    const auto& it = r.items[i];
    const auto& ck = *r.checks[i];
    s += "| " + esc_md(it.blueprint) + " | " + esc_md(it.title) + " | " + status_name(it.status) + " | " +
         (ck.holds ? "DONE" : "TODO") + (check_disagrees(it, ck) ? " **MISMATCH**" : "") + " | " +
         esc_md(ck.detail) + " |\n";
  }
  if (any_check) s += "\n";
  if (!r.problems.empty()) {
    s += "## Lines not understood (" + std::to_string(r.problems.size()) + ")\n\n";
    for (const auto& p : r.problems) s += "- " + esc_md(p.where) + ": " + esc_md(p.problem) + "\n";
    s += "\n";
  }
  return s;
}

nlohmann::json render_json(const Report& r) {
  Counts c = count(r.items);
  int t = total(c), done = c[static_cast<int>(ItemStatus::kDone)], post = c[static_cast<int>(ItemStatus::kPostponed)];
  nlohmann::json j;
  nlohmann::json by_assignee = nlohmann::json::object();
  nlohmann::json specs = nlohmann::json::object();
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    const auto& it = r.items[i];
    std::string who = it.assignee.empty() ? "(unassigned)" : it.assignee;
    auto& a = by_assignee[who];
    if (a.empty())
      for (int k = 0; k < kStatusCount; ++k) a[status_key(static_cast<ItemStatus>(k))] = nlohmann::json::array();
    // [spec, description, priority, url] as in status.ubuntu.com's team JSON
    a[status_key(it.status)].push_back({it.blueprint, it.title, "undefined", ""});
    auto& sp = specs[it.blueprint];
    if (sp.empty()) {
      sp["file"] = it.file;
      for (int k = 0; k < kStatusCount; ++k) sp[status_key(static_cast<ItemStatus>(k))] = 0;
    }
    sp[status_key(it.status)] = sp[status_key(it.status)].get<int>() + 1;
    nlohmann::json ji = {{"blueprint", it.blueprint}, {"milestone", it.milestone}, {"assignee", it.assignee},
                         {"title", it.title},         {"status", status_name(it.status)},
                         {"file", it.file},           {"line", it.line}};
    if (!it.check.empty()) ji["check"] = it.check;
    if (i < r.checks.size() && r.checks[i]) {
      ji["checked"] = r.checks[i]->holds ? "DONE" : "TODO";
      ji["check_detail"] = r.checks[i]->detail;
      ji["mismatch"] = check_disagrees(it, *r.checks[i]);
    }
    items.push_back(ji);
  }
  j["workitems_by_assignee"] = by_assignee;
  j["specs"] = specs;
  nlohmann::json totals;
  for (int k = 0; k < kStatusCount; ++k) totals[status_key(static_cast<ItemStatus>(k))] = c[k];
  totals["total"] = t;
  j["totals"] = totals;
  j["completion"] = {{"done_of_total_minus_postponed", t - post ? 100.0 * done / (t - post) : 0.0},
                     {"done_of_total", t ? 100.0 * done / t : 0.0},
                     {"denominators", {{"total_minus_postponed", t - post}, {"total", t}}}};
  j["items"] = items;
  nlohmann::json probs = nlohmann::json::array();
  for (const auto& p : r.problems) probs.push_back({{"where", p.where}, {"problem", p.problem}});
  j["problems"] = probs;
  nlohmann::json hist = nlohmann::json::array();
  for (const auto& d : r.history) {
    nlohmann::json h = {{"date", d.date}};
    for (int k = 0; k < kStatusCount; ++k) h[status_key(static_cast<ItemStatus>(k))] = d.counts[k];
    hist.push_back(h);
  }
  j["history"] = hist;
  if (!r.release_date.empty()) j["release_date"] = r.release_date;
  return j;
}

std::vector<WorkItem> items_from_json(const nlohmann::json& j) {
  std::vector<WorkItem> out;
  for (const auto& ji : j.at("items")) {
    WorkItem w;
    w.blueprint = ji.at("blueprint");
    w.milestone = ji.at("milestone");
    w.assignee = ji.at("assignee");
    w.title = ji.at("title");
    auto st = parse_status(ji.at("status").get<std::string>());
    if (!st) throw InputError("JSON: unknown status " + ji.at("status").get<std::string>());
    w.status = *st;
    w.check = ji.value("check", "");
    w.file = ji.at("file");
    w.line = ji.at("line");
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace hapkg::tracker
