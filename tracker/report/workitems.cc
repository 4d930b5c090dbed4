#include "tracker/report/workitems.h"

#include "util/strings.h"

#include <cctype>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::tracker {
namespace {

constexpr const char* kNames[] = {"TODO", "DONE", "POSTPONED", "INPROGRESS", "BLOCKED"};
constexpr const char* kKeys[] = {"todo", "done", "postponed", "inprogress", "blocked"};


bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// One line under Launchpad's two rules; the views point into the line.
struct Line {
  enum Kind { kBlank, kHeader, kItem, kNoClose, kNoColon, kBadStatus, kNoTitle } kind = kBlank;
  std::string_view milestone, assignee, title, status_text;
  ItemStatus status = ItemStatus::kTodo;
};

Line classify(std::string_view raw) {
  Line r;
  std::string_view line = trim_view(raw);
  if (line.empty()) return r;
  // MILESTONE_RE = ^work items(.*)\s*:\s*$  (case-insensitive)
  if (line.size() >= 11 && iequal(line.substr(0, 10), "work items") && line.back() == ':') {
    std::string_view part = trim_view(line.substr(10, line.size() - 11));
    auto sp = part.find_last_of(" \t");
    r.kind = Line::kHeader;
    r.milestone = sp == std::string_view::npos ? part : part.substr(sp + 1);
    return r;
  }
  // WORKITEM_RE = ^(\[(?P<assignee>.*?)\])?\s*(?P<title>.*)\s*:\s*(?P<status>.*)\s*$
  std::string_view rest = line;
  if (rest[0] == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) {
      r.kind = Line::kNoClose;
      return r;
    }
    r.assignee = trim_view(rest.substr(1, close - 1));
    rest = trim_view(rest.substr(close + 1));
  }
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    r.kind = Line::kNoColon;
    return r;
  }
  r.title = trim_view(rest.substr(0, colon));
  r.status_text = trim_view(rest.substr(colon + 1));
  auto status = parse_status(r.status_text);
  r.kind = !status ? Line::kBadStatus : r.title.empty() ? Line::kNoTitle : Line::kItem;
  if (status) r.status = *status;
  return r;
}

std::string problem_text(const Line& l) {
  switch (l.kind) {
    case Line::kNoClose: return "missing closing ] after the assignee";
    case Line::kNoColon: return "not a work item: no ': STATUS' at the end (the last colon separates the status)";
    case Line::kBadStatus:
      return "unknown status '" + std::string(l.status_text) +
             "' (TODO, DONE, POSTPONED, INPROGRESS, BLOCKED; POSTPONE and empty are aliases)";
    case Line::kNoTitle: return "work item without a title";
    default: return "";
  }
}

// Calls on_item(line, lineno, milestone) for every work item; problems are
// thrown (strict) or recorded and counted (lenient). Returns the count.
template <typename OnItem>
std::size_t each_line(std::string_view text, const std::string& file, bool lenient,
                      std::vector<ParseProblem>* problems, OnItem on_item) {
  std::string_view milestone;
  std::size_t lineno = 0, pos = 0, nproblems = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, (nl == std::string_view::npos ? text.size() : nl) - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    Line l = classify(raw);
    if (l.kind == Line::kBlank) continue;
    if (l.kind == Line::kHeader) {
      milestone = l.milestone;
    } else if (l.kind == Line::kItem) {
      on_item(l, lineno, milestone);
    } else {
      if (!lenient) throw InputError(file, lineno, problem_text(l));
      ++nproblems;
      if (problems) problems->push_back({InputError::at(file, lineno), problem_text(l)});
    }
  }
  return nproblems;
}

}  // namespace

const char* status_name(ItemStatus s) { return kNames[static_cast<int>(s)]; }
const char* status_key(ItemStatus s) { return kKeys[static_cast<int>(s)]; }

std::optional<ItemStatus> parse_status(std::string_view text) {
  text = trim_view(text);
  if (text.empty()) return ItemStatus::kTodo;
  if (iequal(text, "POSTPONE")) return ItemStatus::kPostponed;
  for (int i = 0; i < kStatusCount; ++i)
    if (iequal(text, kNames[i])) return static_cast<ItemStatus>(i);
  return std::nullopt;
}

std::string blueprint_name(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  auto dot = base.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

void parse_workitems(const std::string& text, const std::string& file, const std::string& blueprint, bool lenient,
                     WorkItemList& out) {
  each_line(text, file, lenient, &out.problems, [&](const Line& l, std::size_t lineno, std::string_view milestone) {
    WorkItem w;
    w.assignee = l.assignee;
    w.title = l.title;
    w.status = l.status;
    // A linked check is a {...} group closing the title.
    if (w.title.back() == '}') {
      auto open = w.title.rfind('{');
      if (open != std::string::npos) {
        w.check = trim_view(std::string_view(w.title).substr(open + 1, w.title.size() - open - 2));
        w.title = trim_view(std::string_view(w.title).substr(0, open));
      }
    }
    w.blueprint = blueprint;
    w.milestone = milestone;
    w.file = file;
    w.line = lineno;
    out.items.push_back(std::move(w));
  });
}

std::size_t count_workitems(std::string_view text, const std::string& file, bool lenient, Counts& counts,
                            std::vector<ParseProblem>* problems) {
  return each_line(text, file, lenient, problems,
                   [&](const Line& l, std::size_t, std::string_view) { counts[static_cast<int>(l.status)]++; });
}

void read_workitems(const std::string& path, bool lenient, WorkItemList& out) {
  parse_workitems(read_file(path), path, blueprint_name(path), lenient, out);
}

}  // namespace hapkg::tracker
