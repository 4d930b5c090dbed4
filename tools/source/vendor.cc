#include "source/vendor.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "deb/deb822.h"

namespace hapkg::source {
namespace {

std::string origins_dir() {
  const char* d = std::getenv("DPKG_ORIGINS_DIR");
  return d && *d ? d : "/etc/dpkg/origins";
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ucfirst(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// Runs of [^A-Za-z0-9] replaced by `sep`.
std::string squash(const std::string& s, const std::string& sep) {
  std::string out;
  bool in_sep = false;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
      in_sep = false;
    } else if (!in_sep) {
      out += sep;
      in_sep = true;
    }
  }
  return out;
}

// get_vendor_file + get_vendor_info: a field of the vendor's origins file.
std::string vendor_field(const std::string& vendor, const std::string& field) {
  std::string v = vendor.empty() ? "default" : vendor;
  std::string dashed = squash(v, "-");
  for (const auto& name : {lower(dashed), dashed, ucfirst(lower(dashed)), ucfirst(dashed), lower(v), v,
                           ucfirst(lower(v)), ucfirst(v)}) {
    std::string path = origins_dir() + "/" + name;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) continue;
    deb::Deb822 d = deb::read_deb822(path, deb::Deb822Kind::kGeneric);
    return d.paragraphs.empty() ? "" : d.paragraphs.front().get(field);
  }
  return "";
}

}  // namespace

std::string current_vendor() {
  if (std::getenv("DEB_VENDOR")) {
    std::string v = vendor_field(std::getenv("DEB_VENDOR"), "Vendor");
    if (!v.empty()) return v;
  }
  return vendor_field("", "Vendor");
}

std::string vendor_module(const std::string& vendor) {
  std::string v = vendor;
  for (int depth = 0; depth < 16 && !v.empty(); ++depth) {
    std::string key = lower(squash(v, ""));
    for (const char* m : {"Debian", "Ubuntu", "Devuan", "Default"})
      if (key == lower(m)) return m;
    v = vendor_field(v, "Parent");
  }
  return "Default";
}

}  // namespace hapkg::source
