#include "archive/upgrade_root.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <sstream>

#include "archive/pool.h"
#include "deb/deb822.h"
#include "util/error.h"
#include "util/file.h"
#include "util/http.h"
#include "util/process.h"

namespace hapkg::archive {
namespace {

bool is_dir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The compressed or plain Packages file under `dir` (Packages, .xz, .gz).
std::string find_packages(const std::string& dir) {
  for (const char* ext : {"", ".xz", ".gz", ".lz4", ".zst"})
    if (is_file(dir + "/Packages" + ext)) return dir + "/Packages" + ext;
  return "";
}

std::string extension_of(const std::string& f) {
  for (const char* ext : {".xz", ".gz", ".lz4", ".zst"}) {
    std::string e = ext;
    if (f.size() > e.size() && f.compare(f.size() - e.size(), e.size(), e) == 0) return e;
  }
  return "";
}

// Mirrors dists/<suite>/Release and the binary-<arch> Packages of every
// component from an http(s) archive into `dest` (an archive root).
void fetch_mirror(const std::string& url, const std::string& suite, const std::vector<std::string>& archs,
                  const std::string& dest) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  FetchResult release = http_get(base + "/dists/" + suite + "/Release", true);
  const std::string& rel = release.body;
  if (release.status != 200)
    throw InputError(base + "/dists/" + suite + "/Release", 0, "not found (unknown suite?)");
  make_dirs(dest + "/dists/" + suite);
  write_file_atomic(dest + "/dists/" + suite + "/Release", rel);
  auto doc = deb::parse_deb822(rel, base + "/dists/" + suite + "/Release", deb::Deb822Kind::kRelease);
  std::istringstream comps(doc.paragraphs.empty() ? "" : doc.paragraphs.front().get("Components"));
  for (std::string c; comps >> c;)
    for (const auto& a : archs) {
      std::string dir = "/dists/" + suite + "/" + c + "/binary-" + a;
      for (const char* ext : {".xz", ".gz", ""}) {
        FetchResult index = http_get(base + dir + "/Packages" + ext, true);
        if (index.status != 200) continue;
        make_dirs(dest + dir);
        write_file_atomic(dest + dir + "/Packages" + ext, index.body);
        break;
      }
    }
}

struct Placed {
  std::string suite;
  std::vector<std::string> components;
};

// Copies one index into lists/ under the name apt derives from
// http://archive.invalid/<label> <suite> <comps>.
Placed place_index(const std::string& root, const std::string& label, const std::string& input,
                   const std::string& suite_given, const std::vector<std::string>& archs, bool synth_release) {
  std::string lists = root + "/var/lib/apt/lists/";
  std::string prefix = lists + "archive.invalid_" + label + "_dists_";
  Placed placed;
  placed.suite = suite_given.empty() ? label : suite_given;
  std::string release;
  std::vector<std::pair<std::string, std::string>> files;  // (component, file) for the native arch
  if (input.rfind("http://", 0) == 0 || input.rfind("https://", 0) == 0) {
    if (suite_given.empty()) throw InputError(input, 0, "a mirror URL needs --old-suite/--new-suite/--ppa-suite");
    std::string dest = root + "/mirror/" + label;
    fetch_mirror(input, suite_given, archs, dest);
    return place_index(root, label, dest, suite_given, archs, synth_release);
  }
  if (is_file(input)) {
    placed.components = {"main"};
    files.emplace_back("main", input);
  } else if (is_dir(input) && is_dir(input + "/dists")) {
    if (suite_given.empty()) throw InputError(input, 0, "an archive root needs --old-suite/--new-suite/--ppa-suite");
    std::string base = input + "/dists/" + suite_given;
    if (!is_file(base + "/Release")) throw InputError(base + "/Release", 0, "missing (unknown suite?)");
    release = base + "/Release";
    auto doc = deb::read_deb822(release, deb::Deb822Kind::kRelease);
    std::istringstream comps(doc.paragraphs.empty() ? "" : doc.paragraphs.front().get("Components"));
    for (std::string c; comps >> c;) {
      for (const auto& a : archs) {
        std::string f = find_packages(base + "/" + c + "/binary-" + a);
        if (!f.empty()) files.emplace_back(c + "\n" + a, f);
      }
      placed.components.push_back(c);
    }
    if (files.empty()) throw InputError(base, 0, "no Packages index for the requested architectures");
  } else if (is_dir(input)) {
    std::string f = find_packages(input);
    if (f.empty()) throw InputError(input, 0, "no Packages file in this directory");
    placed.components = {"main"};
    files.emplace_back("main", f);
    if (is_file(input + "/Release")) release = input + "/Release";
  } else {
    throw InputError(input, 0, "index not found");
  }
  for (const auto& [key, f] : files) {
    std::string comp = key, arch = archs.front();
    if (auto nl = key.find('\n'); nl != std::string::npos) {
      comp = key.substr(0, nl);
      arch = key.substr(nl + 1);
    }
    // a symlink, not a copy: apt only reads it, and real indices are 50+ MB
    std::string link = prefix + placed.suite + "_" + comp + "_binary-" + arch + "_Packages" + extension_of(f);
    ::unlink(link.c_str());
    if (::symlink(std::filesystem::absolute(f).c_str(), link.c_str()) != 0) throw_errno("symlink " + link);
  }
  std::string rel;
  if (!release.empty() && !synth_release) {
    rel = read_file(release);
  } else {
    std::string comps, as;
    for (const auto& c : placed.components) comps += (comps.empty() ? "" : " ") + c;
    for (const auto& a : archs) as += (as.empty() ? "" : " ") + a;
    rel = "Origin: " + label + "\nLabel: " + label + "\nSuite: " + placed.suite + "\nCodename: " + placed.suite +
          "\nArchitectures: " + as + " all\nComponents: " + comps + "\n";
  }
  write_file_atomic(prefix + placed.suite + "_Release", rel);
  return placed;
}

}  // namespace

std::string native_architecture() {
  ProcessResult r = run_process({"dpkg", "--print-architecture"});
  std::string a = r.out;
  while (!a.empty() && (a.back() == '\n' || a.back() == ' ')) a.pop_back();
  if (r.exit_status != 0 || a.empty()) throw OperationError("dpkg --print-architecture failed");
  return a;
}

void build_sandbox_root(const std::string& root, const UpgradeOptions& o, const std::string& which) {
  for (const char* d : {"/etc/apt/apt.conf.d", "/etc/apt/preferences.d", "/etc/apt/sources.list.d",
                        "/var/lib/apt/lists/partial", "/var/cache/apt/archives/partial", "/var/lib/dpkg",
                        "/var/log/apt"})
    make_dirs(root + d);
  std::string status;
  if (which == "new" && !o.status.empty()) {
    status = read_file(o.status);
    deb::parse_deb822(status, o.status, deb::Deb822Kind::kGeneric);  // reject garbage early (exit 2)
  }
  write_file_atomic(root + "/var/lib/dpkg/status", status);
  std::string archs;
  for (const auto& a : o.architectures) archs += "\"" + a + "\"; ";
  std::string conf = "Dir::State::status \"" + root + "/var/lib/dpkg/status\";\n"
                     "Debug::NoLocking \"true\";\nAPT::Sandbox::User \"root\";\n"
                     "APT::Architecture \"" + o.architectures.front() + "\";\n"
                     "APT::Architectures { " + archs + "};\n"
                     "APT::Get::Always-Include-Phased-Updates \"true\";\n"
                     "APT::Install-Recommends \"true\";\n"
                     "APT::NeverAutoRemove { \"^firmware-linux.*\"; \"^linux-firmware$\"; };\n";
  write_file_atomic(root + "/etc/apt/apt.conf.d/00hapkg", conf);
  write_file_atomic(root + "/apt.conf", "Dir \"" + root + "/\";\n");
  std::string sources, prefs;
  auto add = [&](const std::vector<std::string>& idx, const std::string& kind, const std::string& suite) {
    for (std::size_t i = 0; i < idx.size(); ++i) {
      std::string label = kind + std::to_string(i);
      Placed p = place_index(root, label, idx[i], suite, o.architectures, kind == "ppa");
      sources += "deb [trusted=yes] http://archive.invalid/" + label + " " + p.suite;
      for (const auto& c : p.components) sources += " " + c;
      sources += "\n";
      if (kind == "ppa" && o.pin != 0)
        prefs += "Package: *\nPin: release o=" + label + "\nPin-Priority: " + std::to_string(o.pin) + "\n\n";
    }
  };
  if (which == "old") {
    add(o.old_indices, "old", o.old_suite);
  } else {
    add(o.new_indices, "new", o.new_suite);
    add(o.ppa_indices, "ppa", o.ppa_suite);
  }
  write_file_atomic(root + "/etc/apt/sources.list", sources);
  write_file_atomic(root + "/etc/apt/preferences.d/hapkg-ppa", prefs);
}

}  // namespace hapkg::archive
