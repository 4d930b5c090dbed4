#include "patch/series.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::source {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(b, e - b + 1);
}

// A file name from a ---/+++ line or a git header: up to a tab, C-unquoted
// when git quoted it.
std::string diff_name(std::string s) {
  if (!s.empty() && s[0] == '"') {
    std::string out;
    size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] != '\\' || i + 1 >= s.size()) {
        out += s[i];
        continue;
      }
      char c = s[++i];
      if (c >= '0' && c <= '7' && i + 2 < s.size()) {
        out += static_cast<char>(std::strtol(s.substr(i, 3).c_str(), nullptr, 8));
        i += 2;
      } else if (c == 'n') out += '\n';
      else if (c == 't') out += '\t';
      else out += c;
    }
    return out;
  }
  size_t tab = s.find('\t');
  if (tab != std::string::npos) s.resize(tab);
  // diff -u without a tab: "name  date" is unusual; patch takes the whole line.
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool has_dotdot(const std::string& path) {
  std::istringstream in(path);
  std::string part;
  while (std::getline(in, part, '/'))
    if (part == "..") return true;
  return false;
}

std::vector<SeriesEntry> parse_series(const std::string& text, const std::string& filename) {
  static const std::regex comment(R"((?:^|\s+)#.*$)");
  std::vector<SeriesEntry> out;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    line = trim(std::regex_replace(trim(line), comment, ""));
    if (line.empty()) continue;
    std::istringstream words(line);
    std::string name, opt;
    words >> name;
    if (name[0] == '+' || name[0] == '-')
      throw InputError(filename, n, "quilt guard '" + name + "' is not supported by dpkg-source; expand the guards first");
    while (words >> opt)
      if (opt != "-p1")
        throw InputError(filename, n, "unsupported option '" + opt + "' for patch " + name +
                                          " (dpkg-source applies every patch with -p1)");
    if (name[0] == '/' || has_dotdot(name))
      throw InputError(filename, n, "insecure patch name '" + name + "' (outside debian/patches)");
    if (!seen.insert(name).second) throw InputError(filename, n, "patch " + name + " listed twice");
    out.push_back({name, n});
  }
  return out;
}

Series read_series(const std::string& tree) {
  std::string vendor = "debian";
  if (const char* v = std::getenv("DEB_VENDOR"); v && *v) vendor = v;
  std::transform(vendor.begin(), vendor.end(), vendor.begin(), [](unsigned char c) { return std::tolower(c); });
  Series s;
  struct stat st;
  for (const std::string& base : {vendor + ".series", std::string("series")}) {
    std::string path = tree + "/debian/patches/" + base;
    if (::stat(path.c_str(), &st) == 0) {
      s.path = path;
      s.basename = base;
      s.patches = parse_series(read_file(path), path);
      return s;
    }
  }
  s.basename = "series";
  return s;
}

std::vector<std::string> patch_targets(const std::string& text, const std::string& patch_name) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  auto add = [&](const std::string& raw, size_t n, bool strip) {
    std::string name = diff_name(raw);
    if (name == "/dev/null") return;
    auto bad = [&](const std::string& why) { throw InputError(patch_name, n, why + ": '" + name + "'"); };
    if (name.empty()) bad("empty file name");
    if (name[0] == '/') bad("absolute path in patch");
    if (has_dotdot(name)) bad("path leaving the tree in patch");
    if (strip) {
      size_t slash = name.find('/');
      if (slash == std::string::npos) bad("file name without a directory to strip with -p1");
      name = name.substr(slash + 1);
    }
    while (name.find("//") != std::string::npos) name.erase(name.find("//"), 1);
    if (name.empty() || name[0] == '/') bad("file name empty after -p1");
    if (name == ".pc" || name.rfind(".pc/", 0) == 0) bad("patch touches quilt's .pc directory");
    if (seen.insert(name).second) out.push_back(name);
  };
  static const std::regex hunk(R"(^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@.*)");
  long old_left = 0, new_left = 0;  // lines still to come in the current hunk
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (old_left > 0 || new_left > 0) {
      char c = line.empty() ? ' ' : line[0];
      if (c == ' ') --old_left, --new_left;
      else if (c == '-') --old_left;
      else if (c == '+') --new_left;
      continue;
    }
    std::smatch m;
    if (std::regex_match(line, m, hunk)) {
      old_left = m[1].matched ? std::stol(m[1].str()) : 1;
      new_left = m[2].matched ? std::stol(m[2].str()) : 1;
      continue;
    }
    if (line.rfind("--- ", 0) == 0 || line.rfind("+++ ", 0) == 0) add(line.substr(4), n, true);
    else if (line.rfind("rename from ", 0) == 0) add(line.substr(12), n, false);
    else if (line.rfind("rename to ", 0) == 0) add(line.substr(10), n, false);
    else if (line.rfind("copy to ", 0) == 0) add(line.substr(8), n, false);
    else if (line.rfind("GIT binary patch", 0) == 0) throw InputError(patch_name, n, "binary patches are not supported");
  }
  return out;
}

}  // namespace hapkg::source
