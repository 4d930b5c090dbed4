#include "tracker/report/inputs.h"

#include <filesystem>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::tracker {

WorkItemList read_blueprints(const std::vector<std::string>& files, bool lenient) {
  WorkItemList list;
  for (const auto& f : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(f, ec))
      throw InputError(f, 0, "is a directory; give the blueprints' work-item files");
    read_workitems(f, lenient, list);
  }
  return list;
}

std::string checked_date(const std::string& text, const std::string& what) {
  long day = day_number(text);
  if (day < 0) throw InputError(what + ": expected a date YYYY-MM-DD, got '" + text + "'");
  return text;
}

std::vector<DayCounts> load_history(const HistorySource& src, const std::vector<std::string>& files) {
  if (src.git) return history_from_git(files, src.lenient);
  if (src.path.empty()) return {};
  std::error_code ec;
  if (std::filesystem::is_directory(src.path, ec)) return history_from_dir(src.path, {src.lenient, src.cache, 0});
  return history_from_csv(src.path);
}

namespace {

// Why `e` is not one element of `hapkg track --json`'s array, or "".
std::string track_element_problem(const nlohmann::json& e) {
  if (!e.is_object()) return std::string("is a JSON ") + e.type_name() + ", not an object";
  auto p = e.find("package");
  if (p == e.end()) return "has no \"package\"";
  for (const char* k : {"package", "debian-mangled-uversion", "upstream-version"})
    if (auto f = e.find(k); f != e.end() && !f->is_string()) return std::string("\"") + k + "\" is not a string";
  return "";
}

}  // namespace

nlohmann::json read_track_results(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, 0, "is a directory, not a JSON file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path, 0, "not JSON (byte " + std::to_string(e.byte) + ")");
  }
  const std::string want = "expected the array printed by `hapkg track --json`";
  if (!j.is_array()) throw InputError(path, 0, want + ", got a JSON " + j.type_name());
  for (std::size_t i = 0; i < j.size(); ++i)
    if (std::string why = track_element_problem(j[i]); !why.empty())
      throw InputError(path, 0, want + ": element " + std::to_string(i + 1) + " " + why);
  return j;
}

std::vector<std::string> mismatches(const Report& r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.items.size() && i < r.checks.size(); ++i)
    if (r.checks[i] && check_disagrees(r.items[i], *r.checks[i]))
      out.push_back(InputError::at(r.items[i].file, r.items[i].line) + ": written " +
                    status_name(r.items[i].status) + " but the check says " +
                    (r.checks[i]->holds ? "DONE" : "not done") + ": " + r.checks[i]->detail);
  return out;
}

}  // namespace hapkg::tracker
