#include "patch/series.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>

#include "util/error.h"
#include "util/file.h"
#include "util/strings.h"

namespace hapkg::patch {
namespace {

// dpkg's s/(?:^|\s+)#.*$//: a '#' at the start or after white space
// begins a comment.
std::string_view strip_comment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) return line.substr(0, i);
  return line;
}

// A decimal count from a hunk header, checked (no overflow).
std::optional<long> hunk_number(std::string_view s, size_t& i) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data() + i, s.data() + s.size(), v);
  if (ec != std::errc() || end == s.data() + i) return std::nullopt;
  i = static_cast<size_t>(end - s.data());
  return v;
}

struct HunkHeader {
  long old_lines = 1, new_lines = 1;
};

// "@@ -a[,b] +c[,d] @@..." (GNU diff's unified hunk header), or nullopt.
std::optional<HunkHeader> parse_hunk_header(std::string_view line, const std::string& patch_name, size_t n) {
  if (line.rfind("@@ -", 0) != 0) return std::nullopt;
  HunkHeader h;
  size_t i = 4;
  auto range = [&](long& count) {
    auto start = hunk_number(line, i);
    if (!start) return false;
    if (i < line.size() && line[i] == ',') {
      ++i;
      auto c = hunk_number(line, i);
      if (!c) return false;
      count = *c;
    }
    return true;
  };
  if (!range(h.old_lines) || line.substr(i, 2) != " +") return std::nullopt;
  i += 2;
  if (!range(h.new_lines) || line.substr(i, 3) != " @@") return std::nullopt;
  if (h.old_lines < 0 || h.new_lines < 0) throw InputError(patch_name, n, "negative line count in hunk header");
  return h;
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
  std::vector<SeriesEntry> out;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    line = trim(strip_comment(trim_view(line)));
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

void require_source_tree(const std::string& tree) {
  struct stat st;
  if (::stat(tree.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) throw InputError(tree + ": no such directory");
  if (::stat((tree + "/debian").c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw InputError(tree + ": not a Debian source tree (no debian/ directory)");
}

Series read_series(const std::string& tree) {
  require_source_tree(tree);
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
  long old_left = 0, new_left = 0;  // lines still to come in the current hunk
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (old_left > 0 || new_left > 0) {
      char c = line.empty() ? ' ' : line[0];
      if (c == ' ') --old_left, --new_left;
      else if (c == '-') --old_left;
      else if (c == '+') --new_left;
      continue;
    }
    if (auto h = parse_hunk_header(line, patch_name, n)) {
      old_left = h->old_lines;
      new_left = h->new_lines;
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

}  // namespace hapkg::patch
