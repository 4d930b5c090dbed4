#include "upgrade/root.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include <sstream>

#include "upgrade/mirror.h"
#include "deb/hashes.h"
#include "deb/deb822.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"
#include "upgrade/inputs.h"


namespace hapkg::upgrade {
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

// A local index the Release lists must have the size it gives (a stale or
// truncated copy would be read as if it were complete).
void check_listed_size(const std::string& file, const std::map<std::string, ReleaseFile>& listed,
                       const std::string& name) {
  auto l = listed.find(name);
  if (l == listed.end()) return;
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) throw_errno(file);
  if (size != l->second.size)
    throw InputError(file, 0, "size " + std::to_string(size) + ", but the Release lists " +
                                  std::to_string(l->second.size) + " (a stale or truncated index?)");
}

struct Placed {
  std::string suite;
  std::vector<std::string> components;
};

// Puts one index into `lists` under the name apt derives from
// http://archive.invalid/<label> <suite> <comps>: Packages (and a real
// Release) as symlinks, since apt only reads them and real indices are 50+ MB;
// a Release for inputs without one is synthesised.
Placed place_index(const std::string& set_dir, const std::string& lists, const std::string& label,
                   const std::string& input, const std::string& suite_given, const std::vector<std::string>& archs,
                   bool synth_release, const MirrorTrust& trust) {
  std::string prefix = lists + "/archive.invalid_" + label + "_dists_";
  Placed placed;
  placed.suite = suite_given.empty() ? label : suite_given;
  std::string release;
  std::vector<std::pair<std::string, std::string>> files;  // (component, file) for the native arch
  if (input.rfind("http://", 0) == 0 || input.rfind("https://", 0) == 0) {
    if (suite_given.empty()) throw InputError(input, 0, "a mirror URL needs --old-suite/--new-suite/--ppa-suite");
    std::string dest = set_dir + "/mirror/" + label;
    fetch_mirror(input, suite_given, archs, dest, trust);
    return place_index(set_dir, lists, label, dest, suite_given, archs, synth_release, trust);
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
    if (doc.paragraphs.empty()) throw InputError(release, 0, "empty Release file");
    const auto& rel = doc.paragraphs.front();
    require_architectures(release, rel, archs);
    auto listed = release_sha256(rel);
    std::map<std::string, int> per_arch;
    std::istringstream comps(rel.get("Components"));
    for (std::string c; comps >> c;) {
      for (const auto& a : archs) {
        std::string dir = c + "/binary-" + a;
        std::string f = find_packages(base + "/" + dir);
        if (!f.empty()) {
          check_listed_size(f, listed, dir + f.substr(f.rfind('/')));
          files.emplace_back(c + "\n" + a, f);
          ++per_arch[a];
          continue;
        }
        for (const char* ext : {".xz", ".gz", ""})  // promised by the Release, but not there
          if (listed.count(dir + "/Packages" + ext))
            throw OperationError(base + "/" + dir + "/Packages" + ext + ": missing (the Release lists it)");
      }
      placed.components.push_back(c);
    }
    for (const auto& a : archs)
      if (per_arch[a] == 0) throw InputError(base, 0, "no Packages index for architecture '" + a + "' (--arch)");
  } else if (is_dir(input)) {
    std::string f = find_packages(input);
    if (f.empty()) throw InputError(input, 0, "no Packages file in this directory");
    placed.components = {"main"};
    files.emplace_back("main", f);
    if (is_file(input + "/Release")) release = input + "/Release";
  } else {
    throw InputError(input, 0, "index not found");
  }
  auto link = [](const std::string& target, const std::string& name) {
    ::unlink(name.c_str());
    if (::symlink(std::filesystem::absolute(target).c_str(), name.c_str()) != 0) throw_errno("symlink " + name);
  };
  for (const auto& [key, f] : files) {
    std::string comp = key, arch = archs.front();
    if (auto nl = key.find('\n'); nl != std::string::npos) {
      comp = key.substr(0, nl);
      arch = key.substr(nl + 1);
    }
    link(f, prefix + placed.suite + "_" + comp + "_binary-" + arch + "_Packages" + extension_of(f));
  }
  if (!release.empty() && !synth_release) {
    link(release, prefix + placed.suite + "_Release");
  } else {
    std::string comps, as;
    for (const auto& c : placed.components) comps += (comps.empty() ? "" : " ") + c;
    for (const auto& a : archs) as += (as.empty() ? "" : " ") + a;
    write_file_atomic(prefix + placed.suite + "_Release",
                      "Origin: " + label + "\nLabel: " + label + "\nSuite: " + placed.suite + "\nCodename: " +
                          placed.suite + "\nArchitectures: " + as + " all\nComponents: " + comps + "\n");
  }
  return placed;
}

bool is_url(const std::string& s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }

struct SetInput {
  std::string label, input, suite;
  bool synth;
};

std::vector<SetInput> set_inputs(const UpgradeOptions& o, const std::string& which) {
  std::vector<SetInput> out;
  auto add = [&](const std::vector<std::string>& idx, const std::string& kind, const std::string& suite) {
    for (std::size_t i = 0; i < idx.size(); ++i)
      out.push_back({kind + std::to_string(i), is_url(idx[i]) ? idx[i] : std::filesystem::absolute(idx[i]).string(),
                     suite, kind == "ppa"});
  };
  if (which == "old") {
    add(o.old_indices, "old", o.old_suite);
  } else {
    add(o.new_indices, "new", o.new_suite);
    add(o.ppa_indices, "ppa", o.ppa_suite);
  }
  return out;
}

// The pin of one PPA: its own `--pin INDEX=PRIO`, else the `--pin PRIO` for all.
int ppa_pin(const UpgradeOptions& o, const std::string& index) {
  for (const auto& [idx, prio] : o.ppa_pins)
    if (idx == index) return prio;
  return o.pin;
}

// Identity of the files a set's lists/ points at: inode, size, mtime in ns.
std::string inputs_stamp(const std::string& lists) {
  std::vector<std::string> lines;
  for (const auto& e : std::filesystem::directory_iterator(lists)) {
    struct stat st {};
    if (!e.is_symlink() || ::stat(e.path().c_str(), &st) != 0) continue;
    lines.push_back(e.path().filename().string() + " " + std::to_string(st.st_ino) + " " +
                    std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
                    std::to_string(st.st_mtim.tv_nsec));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

std::string native_architecture() {
  static std::string cached;  // asked once per process (validated per scenario)
  if (!cached.empty()) return cached;
  ProcessResult r = run_process({"dpkg", "--print-architecture"});
  std::string a = r.out;
  while (!a.empty() && (a.back() == '\n' || a.back() == ' ')) a.pop_back();
  if (r.exit_status != 0 || a.empty()) throw OperationError("dpkg --print-architecture failed");
  return cached = a;
}

std::string prepare_index_set(const std::string& cache_base, const UpgradeOptions& o, const std::string& which) {
  auto inputs = set_inputs(o, which);
  std::string key = which;
  for (const auto& a : o.architectures) key += "\narch " + a;
  for (const auto& i : inputs) key += "\n" + i.label + " " + i.suite + " " + i.input;
  if (!o.keyring.empty()) key += "\nkeyring " + std::filesystem::absolute(o.keyring).string();
  if (o.allow_unsigned) key += "\nallow-unsigned";
  std::string dir = cache_base + "/" + which + "-" + deb::sha256_hex(key).substr(0, 24);
  if (is_file(dir + "/sources.list")) {  // complete (written last)
    // apt re-validates changed files itself, but not a file that went away
    // (e.g. Packages.xz replaced by Packages): rebuild such a set
    bool intact = true;
    for (const auto& e : std::filesystem::directory_iterator(dir + "/lists"))
      if (e.is_symlink() && !is_file(e.path().string())) intact = false;
    if (intact) {
      // apt compares size and mtime in seconds only; a same-size rewrite within
      // that second (or a replaced file) must not reuse the parsed cache
      std::string stamp = inputs_stamp(dir + "/lists");
      if ((is_file(dir + "/stamp") ? read_file(dir + "/stamp") : "") != stamp) {
        ::unlink((dir + "/srcpkgcache.bin").c_str());
        write_file_atomic(dir + "/stamp", stamp);
      }
      return dir;
    }
    std::filesystem::remove_all(dir);
  }
  std::filesystem::create_directories(cache_base);
  TempDir staging(std::filesystem::path(dir).filename().string() + ".tmp", cache_base);
  const std::string& templ = staging.path();
  // mirror data must stay where the symlinks point: fetch into the final
  // place (a set with URLs lives in a per-run directory, never shared
  // between processes)
  bool fetches = false;
  for (const auto& i : inputs) fetches = fetches || is_url(i.input);
  std::string work = fetches ? dir : templ;
  std::filesystem::create_directories(work + "/lists/partial");
  std::filesystem::create_directories(work + "/sources.list.d");
  std::string sources;
  for (const auto& i : inputs) {
    Placed p = place_index(work, work + "/lists", i.label, i.input, i.suite, o.architectures, i.synth,
                           MirrorTrust{o.keyring, o.allow_unsigned});
    sources += "deb [trusted=yes] http://archive.invalid/" + i.label + " " + p.suite;
    for (const auto& c : p.components) sources += " " + c;
    sources += "\n";
  }
  write_file_atomic(work + "/status", "");
  write_file_atomic(work + "/stamp", inputs_stamp(work + "/lists"));
  write_file_atomic(work + "/sources.list", sources);
  if (!fetches && ::rename(templ.c_str(), dir.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST)
    throw_errno("rename " + templ);
  return dir;  // lost a race: another process completed the same set
}

void build_sandbox_root(const std::string& root, const UpgradeOptions& o, const std::string& which,
                        const std::string& index_set) {
  for (const char* d : {"/etc/apt/apt.conf.d", "/etc/apt/preferences.d", "/etc/apt/sources.list.d",
                        "/var/cache/apt/archives/partial", "/var/lib/apt", "/var/lib/dpkg", "/var/log/apt"})
    std::filesystem::create_directories(root + d);
  std::string status;
  if (which == "new" && !o.status.empty()) {
    status = read_file(o.status);
    // reject garbage early (exit 2), naming the user's file
    check_package_stanzas(deb::parse_deb822(status, o.status, deb::Deb822Kind::kGeneric), true);
  }
  write_file_atomic(root + "/var/lib/dpkg/status", status);
  std::string ext;
  if (which == "new" && !o.extended_states.empty()) {
    ext = read_file(o.extended_states);
    auto doc = deb::parse_deb822(ext, o.extended_states, deb::Deb822Kind::kGeneric);
    for (const auto& p : doc.paragraphs)
      if (!p.has("Package") || !p.has("Auto-Installed"))
        throw InputError(o.extended_states, p.fields.empty() ? p.line : p.fields.front().line,
                         "stanza without Package: and Auto-Installed: (not an apt extended_states file?)");
  }
  if (which == "new" && o.installed.empty()) write_file_atomic(root + "/var/lib/apt/extended_states", ext);
  std::string archs;
  for (const auto& a : o.architectures) archs += "\"" + a + "\"; ";
  std::string conf = "Dir::State::status \"" + root + "/var/lib/dpkg/status\";\n"
                     "Dir::State::lists \"" + index_set + "/lists/\";\n"
                     "Dir::Cache::srcpkgcache \"" + index_set + "/srcpkgcache.bin\";\n"
                     // the set's own sources.list: apt rebuilds a srcpkgcache.bin older than it
                     "Dir::Etc::sourcelist \"" + index_set + "/sources.list\";\n"
                     "Dir::Etc::sourceparts \"" + index_set + "/sources.list.d\";\n"
                     "Debug::NoLocking \"true\";\nAPT::Sandbox::User \"root\";\n"
                     "APT::Architecture \"" + o.architectures.front() + "\";\n"
                     "APT::Architectures { " + archs + "};\n"
                     "APT::Get::Always-Include-Phased-Updates \"true\";\n"
                     "APT::Install-Recommends \"true\";\n"
                     "APT::NeverAutoRemove { \"^firmware-linux.*\"; \"^linux-firmware$\"; };\n";
  write_file_atomic(root + "/etc/apt/apt.conf.d/00hapkg", conf);
  write_file_atomic(root + "/apt.conf", "Dir \"" + root + "/\";\n");
  std::string prefs;
  if (which == "new")
    for (std::size_t i = 0; i < o.ppa_indices.size(); ++i) {
      int pin = ppa_pin(o, o.ppa_indices[i]);
      if (pin != 0)
        prefs += "Package: *\nPin: release o=ppa" + std::to_string(i) + "\nPin-Priority: " + std::to_string(pin) + "\n\n";
    }
  write_file_atomic(root + "/etc/apt/preferences.d/hapkg-ppa", prefs);
}

}  // namespace hapkg::upgrade
