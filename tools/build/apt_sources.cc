#include "build/apt_sources.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "deb/deb822.h"
#include "util/error.h"
#include "util/strings.h"

namespace hapkg::build {
namespace {

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool names_plain_codename(const std::string& suites) {
  for (const auto& s : words(suites))
    if (s.find('-') == std::string::npos && s.find('/') == std::string::npos) return true;
  return false;
}

// A path that stays where it says: absolute, normalised, no "..".
bool safe_absolute(const std::string& p) {
  if (p.empty() || p[0] != '/') return false;
  for (const auto& part : std::filesystem::path(p))
    if (part == "..") return false;
  return true;
}

}  // namespace

std::string mirror_from_sources_files(const std::vector<std::string>& files) {
  for (const auto& f : files) {
    // kControl: apt allows "#" comment lines in .sources, as dpkg does in debian/control.
    auto doc = deb::read_deb822(f, deb::Deb822Kind::kControl);
    for (const auto& p : doc.paragraphs) {
      if (p.get("Enabled", "yes") == "no") continue;
      auto types = words(p.get("Types"));
      if (std::find(types.begin(), types.end(), "deb") == types.end()) continue;
      if (!names_plain_codename(p.get("Suites"))) continue;
      auto uris = words(p.get("URIs"));
      if (!uris.empty()) return uris.front();
    }
  }
  std::string where = files.empty() ? std::string("/etc/apt/sources.list.d/*.sources") : files.front();
  throw InputError(where, 0, "no 'Types: deb' stanza with a release codename in Suites: cannot tell which mirror apt uses");
}

std::string host_apt_mirror() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/etc/apt/sources.list.d", ec))
    if (e.path().extension() == ".sources") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return mirror_from_sources_files(files);
}

ExtraSource parse_extra_source(const std::string& line, const std::string& what) {
  ExtraSource s;
  s.line = trim(line);
  auto fail = [&](const std::string& why) -> InputError {
    return InputError(what + ": '" + s.line + "': " + why);
  };
  if (s.line.rfind("deb ", 0) != 0) throw fail("not a one-line 'deb ...' source");
  std::string rest = s.line.substr(4);
  std::string options;
  auto r = ltrim_view(rest);
  if (!r.empty() && r.front() == '[') {
    auto close = r.find(']');
    if (close == std::string_view::npos) throw fail("unterminated [options]");
    options = std::string(r.substr(1, close - 1));
    r = r.substr(close + 1);
  }
  auto w = words(r);
  if (w.size() < 2) throw fail("needs a URI and a suite");
  for (const auto& opt : words(options)) {
    if (opt.rfind("signed-by=", 0) != 0) continue;
    s.signed_by = opt.substr(10);
    if (!safe_absolute(s.signed_by)) throw fail("signed-by must be an absolute path without '..'");
  }
  const std::string& uri = w[0];
  if (uri.rfind("file:", 0) == 0) {
    std::string path = uri.substr(5);
    while (path.size() > 1 && path.rfind("//", 0) == 0) path.erase(0, 1);
    if (!safe_absolute(path)) throw fail("file: URI must be an absolute path without '..'");
    s.file_dir = path;
  } else if (uri.rfind("http://", 0) != 0 && uri.rfind("https://", 0) != 0) {
    throw fail("URI must be file:, http: or https:");
  }
  return s;
}

}  // namespace hapkg::build
