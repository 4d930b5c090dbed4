#include "tracker/report/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "util/error.h"
#include "util/file.h"
#include "util/xml_escape.h"

namespace hapkg::tracker {
namespace {

constexpr ItemStatus kOrder[] = {ItemStatus::kTodo, ItemStatus::kInProgress, ItemStatus::kBlocked,
                                 ItemStatus::kDone, ItemStatus::kPostponed};
constexpr const char* kColors[] = {"#d9534f", "#5cb85c", "#aaaaaa", "#f0ad4e", "#7b1fa2"};  // by ItemStatus

int total(const Counts& c) {
  int t = 0;
  for (int v : c) t += v;
  return t;
}

std::string pct(int num, int den) {
  if (den <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * num / den);
  return buf;
}

std::string esc_md(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<') o.push_back('\\');
    o.push_back(c);
  }
  return o;
}

using Groups = std::map<std::string, Counts>;

Groups group_by(const std::vector<WorkItem>& items, std::string WorkItem::*field, const char* none) {
  Groups g;
  for (const auto& i : items) {
    const std::string& k = i.*field;
    g[k.empty() ? none : k][static_cast<int>(i.status)]++;
  }
  return g;
}

int remaining(const Counts& c) {
  return c[static_cast<int>(ItemStatus::kTodo)] + c[static_cast<int>(ItemStatus::kInProgress)] +
         c[static_cast<int>(ItemStatus::kBlocked)];
}

std::string svg_burndown(const Report& r) {
  if (r.history.empty()) return "<p>No history given (--history DIR or --git): no burndown.</p>\n";
  const int W = 900, H = 360, L = 50, R = 20, T = 20, B = 40;
  long first = day_number(r.history.front().date), last = day_number(r.history.back().date);
  long rel = r.release_date.empty() ? -1 : day_number(r.release_date);
  long end = std::max(last, rel);
  int ndays = static_cast<int>(end - first) + 1;
  int maxv = 1;
  for (const auto& d : r.history) maxv = std::max(maxv, total(d.counts));
  double bw = static_cast<double>(W - L - R) / ndays;
  auto y = [&](double v) { return T + (H - T - B) * (1.0 - v / maxv); };
  std::string s;
  s.reserve(r.history.size() * 5 * 90 + 4096);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "<svg id=\"burndown\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Burndown\">\n<rect width=\"%d\" height=\"%d\" "
                "fill=\"#ffffff\"/>\n",
                W, H, W, H, W, H);
  s += buf;
  for (int k = 0; k <= 4; ++k) {  // grid and y labels
    double v = maxv * k / 4.0;
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/><text x=\"%d\" y=\"%.1f\" "
                  "font-size=\"11\" text-anchor=\"end\">%d</text>\n",
                  L, y(v), W - R, y(v), L - 4, y(v) + 4, static_cast<int>(v + 0.5));
    s += buf;
  }
  for (const auto& d : r.history) {
    double x = L + bw * static_cast<double>(day_number(d.date) - first);
    double acc = 0;
    for (ItemStatus st : kOrder) {
      int v = d.counts[static_cast<int>(st)];
      if (!v) continue;
      std::snprintf(buf, sizeof buf,
                    "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                    status_key(st), x, y(acc + v), std::max(bw * 0.9, 0.5), y(acc) - y(acc + v),
                    kColors[static_cast<int>(st)]);
      s += buf;
      acc += v;
    }
  }
  if (rel >= 0 && rel >= first) {  // ideal line: remaining on day one down to zero at the release
    double x0 = L, x1 = L + bw * static_cast<double>(rel - first + 1);
    std::snprintf(buf, sizeof buf,
                  "<line id=\"ideal\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
                  "stroke-width=\"2\"/>\n",
                  x0, y(remaining(r.history.front().counts)), x1, y(0));
    s += buf;
  }
  std::snprintf(buf, sizeof buf,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text><text x=\"%d\" y=\"%d\" font-size=\"11\" "
                "text-anchor=\"end\">%s</text>\n",
                L, H - B + 16, r.history.front().date.c_str(), W - R, H - B + 16, day_string(end).c_str());
  s += buf;
  int lx = L;
  for (ItemStatus st : kOrder) {
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" "
                  "font-size=\"11\">%s</text>\n",
                  lx, H - 14, kColors[static_cast<int>(st)], lx + 14, H - 5, status_name(st));
    s += buf;
    lx += 110;
  }
  return s + "</svg>\n";
}

struct Section {
  const char* id;
  const char* title;
  const char* first;
  Groups groups;
};

constexpr const char* kColumns[] = {"TODO", "INPROGRESS", "BLOCKED", "DONE", "POSTPONED", "TOTAL",
                                    "DONE/(TOTAL-POSTPONED)"};

// The summary tables every format shows.
std::vector<Section> sections(const Report& r) {
  return {{"totals", "Totals", "Status", Groups{{"all", count(r.items)}}},
          {"by-assignee", "By assignee", "Assignee", group_by(r.items, &WorkItem::assignee, "(unassigned)")},
          {"by-milestone", "By milestone", "Milestone", group_by(r.items, &WorkItem::milestone, "(none)")},
          {"by-blueprint", "By blueprint", "Blueprint", group_by(r.items, &WorkItem::blueprint, "(none)")}};
}

// One row a group: name, the counts in kOrder, total, completion.
std::vector<std::vector<std::string>> rows_of(const Groups& g) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, v] : g) {
    std::vector<std::string> row{k};
    for (ItemStatus st : kOrder) row.push_back(std::to_string(v[static_cast<int>(st)]));
    row.push_back(std::to_string(total(v)));
    row.push_back(pct(v[static_cast<int>(ItemStatus::kDone)], total(v) - v[static_cast<int>(ItemStatus::kPostponed)]));
    rows.push_back(std::move(row));
  }
  return rows;
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
  Counts c = count(r.items);
  int t = total(c), done = c[static_cast<int>(ItemStatus::kDone)], post = c[static_cast<int>(ItemStatus::kPostponed)];
  std::string s = "# Work item status\n\n";
  s += "Completion: **" + pct(done, t - post) + "** (DONE / (TOTAL - POSTPONED) = " + std::to_string(done) + "/" +
       std::to_string(t - post) + "); " + pct(done, t) + " of all items (DONE / TOTAL = " + std::to_string(done) +
       "/" + std::to_string(t) + ").\n\n";
  for (const auto& sec : sections(r)) {
    s += std::string("## ") + sec.title + "\n\n| " + sec.first + " |";
    for (const char* h : kColumns) s += std::string(" ") + h + " |";
    s += "\n|---|";
    for (std::size_t k = 0; k < std::size(kColumns); ++k) s += "---:|";
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

std::string render_html(const Report& r) {
  Counts c = count(r.items);
  int t = total(c), done = c[static_cast<int>(ItemStatus::kDone)], post = c[static_cast<int>(ItemStatus::kPostponed)];
  std::string s;
  s.reserve(r.items.size() * 200 + 65536);
  s += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Work item status</title>\n"
       "<style>body{font-family:sans-serif;margin:1em 2em;color:#222}table{border-collapse:collapse;margin:0 0 "
       "1.5em}th,td{border:1px solid #bbb;padding:2px 8px}td.n{text-align:right}tr.mismatch{background:#fdd}"
       "</style></head><body>\n<h1>Work item status</h1>\n";
  s += "<p id=\"completion\">Completion: <b>" + pct(done, t - post) + "</b> (DONE / (TOTAL &minus; POSTPONED) = " +
       std::to_string(done) + "/" + std::to_string(t - post) + "); " + pct(done, t) +
       " of all items (DONE / TOTAL = " + std::to_string(done) + "/" + std::to_string(t) + ").</p>\n";
  s += "<h2>Burndown</h2>\n" + svg_burndown(r);
  for (const auto& sec : sections(r)) {
    s += std::string("<h2>") + sec.title + "</h2>\n<table id=\"" + sec.id + "\"><tr><th>" + sec.first + "</th>";
    for (const char* h : kColumns) s += "<th>" + xml_escape(h) + "</th>";
    s += "</tr>\n";
    for (const auto& row : rows_of(sec.groups)) {
      s += "<tr><td>" + xml_escape(row.front()) + "</td>";
      for (std::size_t k = 1; k < row.size(); ++k) s += "<td class=\"n\">" + row[k] + "</td>";
      s += "</tr>\n";
    }
    s += "</table>\n";
  }
  bool any = false;
  for (std::size_t i = 0; i < r.items.size() && i < r.checks.size(); ++i) {
    if (!r.checks[i]) continue;
    if (!any)
      s += "<h2>Linked checks</h2>\n<table id=\"checks\"><tr><th>Blueprint</th><th>Item</th><th>Written</th>"
           "<th>Checked</th><th>Found</th></tr>\n";
    any = true;
    const auto& it = r.items[i];
    bool mm = check_disagrees(it, *r.checks[i]);
    s += std::string("<tr") + (mm ? " class=\"mismatch\"" : "") + "><td>" + xml_escape(it.blueprint) + "</td><td>" +
         xml_escape(it.title) + "</td><td>" + status_name(it.status) + "</td><td>" +
         (r.checks[i]->holds ? "DONE" : "TODO") + (mm ? " (mismatch)" : "") + "</td><td>" +
         xml_escape(r.checks[i]->detail) + "</td></tr>\n";
  }
  if (any) s += "</table>\n";
  if (!r.problems.empty()) {
    s += "<h2>Lines not understood (" + std::to_string(r.problems.size()) + ")</h2>\n<ul id=\"problems\">\n";
    for (const auto& p : r.problems) s += "<li>" + xml_escape(p.where + ": " + p.problem) + "</li>\n";
    s += "</ul>\n";
  }
  return s + "</body></html>\n";
}

}  // namespace hapkg::tracker
