// render_html: one self-contained page (no script, no external resource)
// as a team lead read the old status pages: both completion figures, a chart
// of today's counts (per status and per assignee), the burndown when there
// is history, the summary tables, and every item listed per assignee and
// per blueprint with its milestone and its linked check's verdict.
#include <algorithm>
#include <cstdio>

#include "tracker/report/report.h"
#include "tracker/report/summary.h"
#include "util/xml_escape.h"

namespace hapkg::tracker {
namespace {

const char* color(ItemStatus s) { return kStatusColors[static_cast<int>(s)]; }

int remaining(const Counts& c) {
  return at(c, ItemStatus::kTodo) + at(c, ItemStatus::kInProgress) + at(c, ItemStatus::kBlocked);
}

void append(std::string& s, const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  s += buf;
}

void svg_open(std::string& s, const char* id, const char* label, int w, int h) {
  append(s,
         "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
         "role=\"img\" aria-label=\"%s\">\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
         id, w, h, w, h, label, w, h);
}

void svg_legend(std::string& s, int x, int y) {
  for (ItemStatus st : kDisplayOrder) {
    append(s,
           "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" "
           "font-size=\"11\">%s</text>\n",
           x, y, color(st), x + 14, y + 9, status_name(st));
    x += 110;
  }
}

// Stacked bars of counts per day, coloured by status, and the black line of
// ideal progress that reaches zero remaining on the release date.
std::string svg_burndown(const Report& r) {
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
  svg_open(s, "burndown", "Burndown", W, H);
  for (int k = 0; k <= 4; ++k) {  // grid and y labels
    double v = maxv * k / 4.0;
    append(s,
           "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/><text x=\"%d\" y=\"%.1f\" "
           "font-size=\"11\" text-anchor=\"end\">%d</text>\n",
           L, y(v), W - R, y(v), L - 4, y(v) + 4, static_cast<int>(v + 0.5));
  }
  for (const auto& d : r.history) {
    double x = L + bw * static_cast<double>(day_number(d.date) - first);
    double acc = 0;
    for (ItemStatus st : kDisplayOrder) {
      int v = at(d.counts, st);
      if (!v) continue;
      append(s, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
             status_key(st), x, y(acc + v), std::max(bw * 0.9, 0.5), y(acc) - y(acc + v), color(st));
      acc += v;
    }
  }
  if (rel >= 0 && rel >= first) {  // ideal line: remaining on day one down to zero at the release
    double x1 = L + bw * static_cast<double>(rel - first + 1);
    append(s,
           "<line id=\"ideal\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
           "stroke-width=\"2\"/>\n",
           L, y(remaining(r.history.front().counts)), x1, y(0));
  }
  append(s,
         "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text><text x=\"%d\" y=\"%d\" font-size=\"11\" "
         "text-anchor=\"end\">%s</text>\n",
         L, H - B + 16, r.history.front().date.c_str(), W - R, H - B + 16, day_string(end).c_str());
  svg_legend(s, L, H - 14);
  return s + "</svg>\n";
}

// One horizontal bar of `counts`, stacked in display order, `scale` px an item.
void svg_bar(std::string& s, const std::string& label, const Counts& counts, int y, double scale, const char* cls) {
  const int L = 180;
  append(s, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", L - 6, y + 13);
  s += xml_escape(label) + "</text>\n";
  double x = L;
  for (ItemStatus st : kDisplayOrder) {
    int v = at(counts, st);
    if (!v) continue;
    append(s, "<rect class=\"%s %s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"%s\"/>\n", cls,
           status_key(st), x, y, v * scale, color(st));
    x += v * scale;
  }
  append(s, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%d</text>\n", x + 4, y + 13, total(counts));
}

// Today's counts from the items alone (no history needed): one bar per
// status, then one stacked bar per assignee.
std::string svg_snapshot(const Report& r) {
  auto by_assignee = group_counts(r.items, &WorkItem::assignee, kUnassigned);
  const int W = 900, row = 22, top = 24;
  int gap = 34, h = top + row * kStatusCount + gap + row * static_cast<int>(by_assignee.size()) + 34;
  Counts c = count(r.items);
  int maxv = 1;
  for (ItemStatus st : kDisplayOrder) maxv = std::max(maxv, at(c, st));
  for (const auto& [who, v] : by_assignee) maxv = std::max(maxv, total(v));
  double scale = (W - 180 - 60) / static_cast<double>(maxv);
  std::string s;
  svg_open(s, "snapshot", "Work items today per status and per assignee", W, h);
  s += "<text x=\"4\" y=\"14\" font-size=\"12\" font-weight=\"bold\">Per status</text>\n";
  int y = top;
  for (ItemStatus st : kDisplayOrder) {
    Counts only{};
    only[static_cast<int>(st)] = at(c, st);
    svg_bar(s, status_name(st), only, y, scale, "per-status");
    y += row;
  }
  append(s, "<text x=\"4\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">Per assignee</text>\n", y + gap - 12);
  y += gap;
  for (const auto& [who, v] : by_assignee) {
    svg_bar(s, who, v, y, scale, "per-assignee");
    y += row;
  }
  svg_legend(s, 180, h - 16);
  return s + "</svg>\n";
}

std::string headline(const Report& r) {
  Completion c = completion(count(r.items));
  return "<p id=\"completion\">Completion: <span id=\"done-of-all\"><b>" + c.of_all() +
         "</b> of all items (DONE / TOTAL = " + std::to_string(c.done) + "/" + std::to_string(c.all) +
         ")</span>; <span id=\"done-of-not-postponed\"><b>" + c.of_not_postponed() +
         "</b> of the items not postponed (DONE / (TOTAL &minus; POSTPONED) = " + std::to_string(c.done) + "/" +
         std::to_string(c.not_postponed()) + ")</span>.</p>\n";
}

std::string summary_tables(const Report& r) {
  std::string s;
  for (const auto& sec : sections(r.items)) {
    s += std::string("<h2>") + sec.title + "</h2>\n<table id=\"" + sec.id + "\"><tr><th>" + sec.first + "</th>";
    for (const char* h : kSummaryColumns) s += "<th>" + xml_escape(h) + "</th>";
    s += "</tr>\n";
    for (const auto& row : rows_of(sec.groups)) {
      s += "<tr><td>" + xml_escape(row.front()) + "</td>";
      for (std::size_t k = 1; k < row.size(); ++k) s += "<td class=\"n\">" + row[k] + "</td>";
      s += "</tr>\n";
    }
    s += "</table>\n";
  }
  return s;
}

// The linked check's verdict for item i: "" without a check.
std::string verdict(const Report& r, std::size_t i, bool& mismatch) {
  mismatch = false;
  if (i >= r.checks.size() || !r.checks[i]) return "";
  mismatch = check_disagrees(r.items[i], *r.checks[i]);
  return std::string(r.checks[i]->holds ? "DONE" : "TODO") + (mismatch ? " (mismatch)" : "") + ": " +
         r.checks[i]->detail;
}

// Every item, grouped by `field` (assignee or blueprint); the other of the
// two is a column.
std::string item_lists(const Report& r, const char* id, const char* title, std::string WorkItem::*field,
                       const char* none, const char* other_title, std::string WorkItem::*other) {
  std::string s = std::string("<h2>") + title + "</h2>\n<div id=\"" + id + "\">\n";
  for (const auto& [name, idx] : group_items(r.items, field, none)) {
    Counts c{};
    for (std::size_t i : idx) c[static_cast<int>(r.items[i].status)]++;
    Completion done = completion(c);
    s += "<h3>" + xml_escape(name) + " <small>(" + std::to_string(done.done) + "/" + std::to_string(done.all) +
         " done)</small></h3>\n<table class=\"items\" data-group=\"" + xml_escape(name) + "\"><tr><th>" +
         other_title + "</th><th>Item</th><th>Status</th><th>Milestone</th><th>Check</th><th>Where</th></tr>\n";
    for (std::size_t i : idx) {
      const WorkItem& it = r.items[i];
      bool mm = false;
      std::string v = verdict(r, i, mm);
      s += std::string("<tr class=\"") + status_key(it.status) + (mm ? " mismatch" : "") + "\"><td>" +
           xml_escape((it.*other).empty() ? "-" : it.*other) + "</td><td>" + xml_escape(it.title) +
           "</td><td class=\"status\">" + status_name(it.status) + "</td><td>" +
           xml_escape(it.milestone.empty() ? "-" : it.milestone) + "</td><td class=\"check\">" + xml_escape(v) +
           "</td><td>" + xml_escape(it.file + ":" + std::to_string(it.line)) + "</td></tr>\n";
    }
    s += "</table>\n";
  }
  return s + "</div>\n";
}

std::string checks_table(const Report& r) {
  std::string s;
  for (std::size_t i = 0; i < r.items.size() && i < r.checks.size(); ++i) {
    if (!r.checks[i]) continue;
    if (s.empty())
      s = "<h2>Linked checks</h2>\n<table id=\"checks\"><tr><th>Blueprint</th><th>Item</th><th>Written</th>"
          "<th>Checked</th><th>Found</th></tr>\n";
    const auto& it = r.items[i];
    bool mm = check_disagrees(it, *r.checks[i]);
    s += std::string("<tr") + (mm ? " class=\"mismatch\"" : "") + "><td>" + xml_escape(it.blueprint) + "</td><td>" +
         xml_escape(it.title) + "</td><td>" + status_name(it.status) + "</td><td>" +
         (r.checks[i]->holds ? "DONE" : "TODO") + (mm ? " (mismatch)" : "") + "</td><td>" +
         xml_escape(r.checks[i]->detail) + "</td></tr>\n";
  }
  return s.empty() ? s : s + "</table>\n";
}

std::string status_styles() {
  std::string s;
  for (ItemStatus st : kDisplayOrder)
    s += std::string("tr.") + status_key(st) + " td.status{background:" + color(st) + ";color:#fff}";
  return s;
}

}  // namespace

std::string render_html(const Report& r) {
  std::string s;
  s.reserve(r.items.size() * 600 + 65536);
  s += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Work item status</title>\n"
       "<style>body{font-family:sans-serif;margin:1em 2em;color:#222}table{border-collapse:collapse;margin:0 0 "
       "1.5em}th,td{border:1px solid #bbb;padding:2px 8px}td.n{text-align:right}tr.mismatch{background:#fdd}" +
       status_styles() + "</style></head><body>\n<h1>Work item status</h1>\n" + headline(r);
  if (r.history.empty()) {
    s += "<h2>Today</h2>\n" + svg_snapshot(r) +
         "<h2>Burndown</h2>\n<p>No history given (--history DIR or --git): no burndown.</p>\n";
  } else {
    s += "<h2>Burndown</h2>\n" + svg_burndown(r) + "<h2>Today</h2>\n" + svg_snapshot(r);
  }
  s += summary_tables(r);
  s += item_lists(r, "items-by-assignee", "Items by assignee", &WorkItem::assignee, kUnassigned, "Blueprint",
                  &WorkItem::blueprint);
  s += item_lists(r, "items-by-blueprint", "Items by blueprint", &WorkItem::blueprint, "(none)", "Assignee",
                  &WorkItem::assignee);
  s += checks_table(r);
  if (!r.problems.empty()) {
    s += "<h2>Lines not understood (" + std::to_string(r.problems.size()) + ")</h2>\n<ul id=\"problems\">\n";
    for (const auto& p : r.problems) s += "<li>" + xml_escape(p.where + ": " + p.problem) + "</li>\n";
    s += "</ul>\n";
  }
  return s + "</body></html>\n";
}

}  // namespace hapkg::tracker
