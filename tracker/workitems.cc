#include "tracker/workitems.h"

#include <algorithm>
#include <cctype>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::tracker {
namespace {

constexpr const char* kNames[] = {"TODO", "DONE", "POSTPONED", "INPROGRESS", "BLOCKED"};
constexpr const char* kKeys[] = {"todo", "done", "postponed", "inprogress", "blocked"};

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n\f\v");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const char* status_name(ItemStatus s) { return kNames[static_cast<int>(s)]; }
const char* status_key(ItemStatus s) { return kKeys[static_cast<int>(s)]; }

std::optional<ItemStatus> parse_status(std::string text) {
  text = trim(text);
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text.empty()) return ItemStatus::kTodo;
  if (text == "POSTPONE") return ItemStatus::kPostponed;
  for (int i = 0; i < kStatusCount; ++i)
    if (text == kNames[i]) return static_cast<ItemStatus>(i);
  return std::nullopt;
}

std::string blueprint_name(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  auto dot = base.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

void parse_workitems(const std::string& text, const std::string& file, const std::string& blueprint, bool lenient,
                     WorkItemList& out) {
  std::string milestone;
  std::size_t lineno = 0, pos = 0;
  auto problem = [&](const std::string& what) {
    if (!lenient) throw InputError(file, lineno, what);
    out.problems.push_back({InputError::at(file, lineno), what});
  };
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view raw(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++lineno;
    std::string line = trim(raw);
    if (line.empty()) continue;
    // MILESTONE_RE = ^work items(.*)\s*:\s*$  (case-insensitive)
    if (line.size() >= 11 && lower(line.substr(0, 10)) == "work items" && line.back() == ':') {
      std::string part = trim(std::string_view(line).substr(10, line.size() - 11));
      auto sp = part.find_last_of(" \t");
      milestone = part.empty() ? "" : sp == std::string::npos ? part : part.substr(sp + 1);
      continue;
    }
    // WORKITEM_RE = ^(\[(?P<assignee>.*?)\])?\s*(?P<title>.*)\s*:\s*(?P<status>.*)\s*$
    WorkItem w;
    std::string rest = line;
    if (rest[0] == '[') {
      auto close = rest.find(']');
      if (close == std::string::npos) {
        problem("missing closing ] after the assignee");
        continue;
      }
      w.assignee = trim(std::string_view(rest).substr(1, close - 1));
      rest = trim(std::string_view(rest).substr(close + 1));
    }
    auto colon = rest.rfind(':');
    if (colon == std::string::npos) {
      problem("not a work item: no ': STATUS' at the end (the last colon separates the status)");
      continue;
    }
    w.title = trim(std::string_view(rest).substr(0, colon));
    auto status = parse_status(rest.substr(colon + 1));
    if (!status) {
      problem("unknown status '" + trim(rest.substr(colon + 1)) +
              "' (TODO, DONE, POSTPONED, INPROGRESS, BLOCKED; POSTPONE and empty are aliases)");
      continue;
    }
    if (w.title.empty()) {
      problem("work item without a title");
      continue;
    }
    w.status = *status;
    // A linked check is a {...} group closing the title.
    if (w.title.back() == '}') {
      auto open = w.title.rfind('{');
      if (open != std::string::npos) {
        w.check = trim(std::string_view(w.title).substr(open + 1, w.title.size() - open - 2));
        w.title = trim(std::string_view(w.title).substr(0, open));
      }
    }
    w.blueprint = blueprint;
    w.milestone = milestone;
    w.file = file;
    w.line = lineno;
    out.items.push_back(std::move(w));
  }
}

void read_workitems(const std::string& path, bool lenient, WorkItemList& out) {
  parse_workitems(read_file(path), path, blueprint_name(path), lenient, out);
}

}  // namespace hapkg::tracker
