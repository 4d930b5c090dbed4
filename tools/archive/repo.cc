// conf/distributions, the db/ stanzas, include/remove/list.
#include "archive/repo.h"

#include <apt-pkg/debfile.h>
#include <apt-pkg/debindexfile.h>
#include <apt-pkg/srcrecords.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "archive/pool.h"
#include "deb/apt_init.h"
#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"

namespace hapkg::archive {
namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep = " ") {
  std::string out;
  for (const auto& w : v) out += (out.empty() ? "" : sep) + w;
  return out;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string basename_of(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string dirname_of(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? "." : p.substr(0, s);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The version as it appears in file names: dpkg's parts without the epoch.
std::string strip_epoch(const std::string& v) {
  deb::Version parts = deb::parse_version(v);
  return parts.upstream + (parts.has_revision ? "-" + parts.revision : "");
}

bool safe_name(const std::string& n) {
  if (n.empty() || n == "." || n == "..") return false;
  return n.find('/') == std::string::npos && n.find('\n') == std::string::npos;
}

}  // namespace

void check_architecture(const std::string& arch) {
  static std::set<std::string> known;
  if (known.empty()) {
    ProcessResult r = run_process({"dpkg-architecture", "-L"});
    for (const auto& a : words(r.out)) known.insert(a);
  }
  if (!known.count(arch)) throw InputError("unknown architecture '" + arch + "'");
}

namespace {

std::string db_file(const std::string& dir, const std::string& suite, const std::string& comp,
                    const std::string& kind) {
  return dir + "/db/" + suite + "/" + comp + "/" + (kind == "deb" ? "packages" : "sources");
}

std::vector<Entry> read_db(const std::string& dir, const std::string& suite, const std::string& comp,
                           const std::string& kind) {
  std::string f = db_file(dir, suite, comp, kind);
  std::vector<Entry> out;
  if (!exists(f)) return out;
  auto doc = deb::read_deb822(f, kind == "deb" ? deb::Deb822Kind::kPackages : deb::Deb822Kind::kSources);
  for (auto& p : doc.paragraphs) {
    Entry e;
    e.kind = kind;
    e.package = p.get("Package");
    e.version = p.get("Version");
    e.architecture = kind == "deb" ? p.get("Architecture") : "source";
    e.stanza = std::move(p);
    out.push_back(std::move(e));
  }
  return out;
}

void write_db(const std::string& dir, const std::string& suite, const std::string& comp, const std::string& kind,
              std::vector<Entry> entries) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.package != b.package) return a.package < b.package;
    if (a.architecture != b.architecture) return a.architecture < b.architecture;
    return deb::compare_versions(a.version, b.version) < 0;
  });
  std::string text;
  auto k = kind == "deb" ? deb::Deb822Kind::kPackages : deb::Deb822Kind::kSources;
  for (const auto& e : entries) text += (text.empty() ? "" : "\n") + deb::render_paragraph(e.stanza, k, true,
                                                                                          deb::FieldOrder::kAsIs);
  std::string f = db_file(dir, suite, comp, kind);
  std::filesystem::create_directories(dirname_of(f));
  write_file_atomic(f, text);
}

// The files a .changes lists in Files (" md5 size section priority name"):
// no libapt-pkg parser reads .changes, and only the names and sections are
// used here (the hashes are checked per listed .deb/.dsc, through apt).
struct ChangesFile {
  std::string name, section;
};
std::vector<ChangesFile> changes_files(const deb::Paragraph& p, const std::string& file) {
  std::vector<ChangesFile> out;
  const deb::Field* f = p.find("Files");
  if (!f) throw InputError(file, p.line, "no Files field");
  std::istringstream in(f->value);
  for (std::string line; std::getline(in, line);) {
    auto w = words(line);
    if (w.empty()) continue;
    if (w.size() != 5) throw InputError(file, f->line, "malformed Files line '" + line + "'");
    if (!safe_name(w[4])) throw InputError(file, f->line, "unsafe file name '" + w[4] + "'");
    out.push_back({w[4], w[2]});
  }
  return out;
}

// Verifies the Files and Checksums-* lines of a .changes against the files
// beside it (" hash size name"; Files: " md5 size section priority name").
void verify_changes_files(const deb::Paragraph& p, const std::string& file) {
  const std::pair<const char*, std::string deb::FileHashes::*> specs[] = {
      {"Files", &deb::FileHashes::md5}, {"Checksums-Sha1", &deb::FileHashes::sha1},
      {"Checksums-Sha256", &deb::FileHashes::sha256}, {"Checksums-Sha512", &deb::FileHashes::sha512}};
  std::map<std::string, deb::FileHashes> got;
  for (const auto& [field, member] : specs) {
    const deb::Field* f = p.find(field);
    if (!f) continue;
    std::istringstream in(f->value);
    for (std::string line; std::getline(in, line);) {
      auto w = words(line);
      if (w.empty()) continue;
      if (w.size() != (f->name == "Files" ? 5u : 3u)) throw InputError(file, f->line, "malformed " + f->name + " line '" + line + "'");
      const std::string& name = w.back();
      if (!safe_name(name)) throw InputError(file, f->line, "unsafe file name '" + name + "'");
      std::string path = dirname_of(file) + "/" + name;
      if (!got.count(name)) {
        if (!exists(path)) throw InputError(file, f->line, "listed file " + name + " is missing");
        got.emplace(name, deb::hash_file(path));
      }
      const deb::FileHashes& h = got.at(name);
      if (std::to_string(h.size) != w[1]) throw InputError(file, f->line, "size mismatch for " + name + " (" + field + ")");
      if (h.*member != w[0]) throw InputError(file, f->line, "checksum mismatch for " + name + " (" + field + ")");
    }
  }
}

// The files a .dsc lists, with every hash its Files and Checksums-* fields
// give, as libapt-pkg's source-record parser reads them.
std::vector<pkgSrcRecords::File> dsc_files(const std::string& path) {
  debDscFileIndex index(path);
  std::unique_ptr<pkgSrcRecords::Parser> parser(index.CreateSrcParser());
  std::vector<pkgSrcRecords::File> files;
  if (!parser || !parser->Files(files) || _error->PendingError())
    throw InputError(path, 0, "cannot read the Files/Checksums fields: " + deb::take_apt_errors());
  return files;
}

// Verifies every file and checksum a .dsc lists (beside `file`) against the
// files; returns their hashes by name, in the .dsc's order.
std::vector<deb::FileHashes> verify_dsc_files(const deb::Paragraph& p, const std::string& file) {
  static const std::map<std::string, std::pair<const char*, std::string deb::FileHashes::*>> fields{
      {"MD5Sum", {"Files", &deb::FileHashes::md5}},
      {"SHA1", {"Checksums-Sha1", &deb::FileHashes::sha1}},
      {"SHA256", {"Checksums-Sha256", &deb::FileHashes::sha256}},
      {"SHA512", {"Checksums-Sha512", &deb::FileHashes::sha512}}};
  auto line_of = [&](const char* field) { return p.has(field) ? p.find(field)->line : p.line; };
  auto files = dsc_files(file);
  if (files.empty()) throw InputError(file, p.line, "no Files field");
  std::vector<deb::FileHashes> out;
  for (const auto& f : files) {
    if (!safe_name(f.Path)) throw InputError(file, line_of("Files"), "unsafe file name '" + f.Path + "'");
    std::string path = dirname_of(file) + "/" + f.Path;
    if (!exists(path)) throw InputError(file, line_of("Files"), "listed file " + f.Path + " is missing");
    deb::FileHashes h = deb::hash_file(path);
    if (h.size != f.FileSize) throw InputError(file, line_of("Files"), "size mismatch for " + f.Path);
    for (const auto& listed : f.Hashes) {
      auto spec = fields.find(listed.HashType());
      if (spec == fields.end()) continue;  // Checksum-FileSize: checked above
      if (h.*(spec->second.second) != listed.HashValue())
        throw InputError(file, line_of(spec->second.first),
                         "checksum mismatch for " + f.Path + " (" + spec->second.first + ")");
    }
    out.push_back(h);
  }
  return out;
}

// Re-renders a stanza in apt-ftparchive's field order (apt's own
// TFRewritePackageOrder / TFRewriteSourceOrder via pkgTagSection::Write).
deb::Paragraph apt_order(const deb::Paragraph& p, bool sources, const std::string& file) {
  std::string text = deb::render_paragraph(p, sources ? deb::Deb822Kind::kSources : deb::Deb822Kind::kPackages, true,
                                           deb::FieldOrder::kAsIs);
  text += "\n";
  pkgTagSection sec;
  if (!sec.Scan(text.c_str(), text.size())) throw InputError(file, 0, "cannot parse stanza");
  int fd = ::memfd_create("hapkg-stanza", MFD_CLOEXEC);
  if (fd < 0) throw_errno("memfd_create");
  FileFd out(fd, FileFd::ReadWrite, FileFd::None);
  if (!sec.Write(out, sources ? TFRewriteSourceOrder : TFRewritePackageOrder)) {
    throw OperationError("cannot render stanza: " + deb::take_apt_errors());
  }
  std::string ordered(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)), '\0');
  if (::pread(fd, ordered.data(), ordered.size(), 0) != static_cast<ssize_t>(ordered.size())) throw_errno("pread");
  out.Close();
  auto doc = deb::parse_deb822(ordered, file, sources ? deb::Deb822Kind::kSources : deb::Deb822Kind::kPackages);
  return doc.paragraphs.front();
}

struct Copy {
  std::string src, dest;
  deb::FileHashes h;
};
struct Plan {
  Entry entry;
  std::string component;
  std::vector<Copy> copies;
};

std::string component_of(const std::string& section, const std::string& given, const SuiteConfig& s) {
  std::string c = given;
  if (c.empty()) {
    auto slash = section.find('/');
    c = slash == std::string::npos ? s.components.front() : section.substr(0, slash);
  }
  if (std::find(s.components.begin(), s.components.end(), c) == s.components.end())
    throw InputError("component '" + c + "' is not configured for suite " + s.suite);
  return c;
}

Plan plan_deb(const std::string& path, const std::string& comp_given, const SuiteConfig& s) {
  FileFd fd;
  if (!exists(path)) throw InputError(path, 0, "file not found");
  if (!fd.Open(path, FileFd::ReadOnly)) throw InputError(path, 0, "cannot open: " + deb::take_apt_errors());
  debDebFile debfile(fd);
  debDebFile::MemControlExtract extract("control");
  if (_error->PendingError() || !extract.Read(debfile))
    throw InputError(path, 0, "not a valid .deb: " + deb::take_apt_errors());
  std::string control(extract.Control, extract.Length);
  while (!control.empty() && (control.back() == '\0' || control.back() == '\n')) control.pop_back();
  control += "\n";
  auto doc = deb::parse_deb822(control, path + "(control)", deb::Deb822Kind::kPackages);
  if (doc.paragraphs.size() != 1) throw InputError(path, 0, "control file must have one paragraph");
  deb::Paragraph p = doc.paragraphs.front();
  for (const char* f : {"Package", "Version", "Architecture"})
    if (p.get(f).empty()) throw InputError(path, 0, std::string("control has no ") + f);
  std::string pkg = p.get("Package"), ver = p.get("Version"), arch = p.get("Architecture");
  if (!safe_name(pkg) || !safe_name(strip_epoch(ver)) || !safe_name(arch))
    throw InputError(path, 0, "unsafe package name, version or architecture");
  if (arch != "all" && std::find(s.architectures.begin(), s.architectures.end(), arch) == s.architectures.end())
    throw InputError(path, 0, "architecture " + arch + " is not configured for suite " + s.suite);
  std::string source = words(p.get("Source", pkg)).front();
  if (!safe_name(source)) throw InputError(path, 0, "unsafe source name");
  Plan plan;
  plan.component = component_of(p.get("Section"), comp_given, s);
  deb::FileHashes h = deb::hash_file(path);
  std::string filename = pool_dir(plan.component, source) + "/" + pkg + "_" + strip_epoch(ver) + "_" + arch + ".deb";
  p.set("Filename", filename);
  p.set("Size", std::to_string(h.size));
  p.set("MD5sum", h.md5);
  p.set("SHA1", h.sha1);
  p.set("SHA256", h.sha256);
  p.set("SHA512", h.sha512);
  plan.entry = {"deb", pkg, ver, arch, apt_order(p, false, path)};
  plan.copies.push_back({path, filename, h});
  return plan;
}

Plan plan_dsc(const std::string& path, const std::string& comp_given, const SuiteConfig& s,
              const std::string& section = "") {
  auto doc = deb::read_deb822(path, deb::Deb822Kind::kDsc);
  if (doc.paragraphs.size() != 1) throw InputError(path, 0, "a .dsc must have one paragraph");
  const deb::Paragraph& d = doc.paragraphs.front();
  for (const char* f : {"Source", "Version", "Files"})
    if (d.get(f).empty()) throw InputError(path, d.line, std::string("no ") + f + " field");
  std::string source = d.get("Source"), ver = d.get("Version");
  if (!safe_name(source)) throw InputError(path, d.line, "unsafe source name");
  auto hashes = verify_dsc_files(d, path);
  Plan plan;
  plan.component = component_of(section, comp_given, s);
  std::string dir = pool_dir(plan.component, source);
  deb::FileHashes dh = deb::hash_file(path);
  std::string dscname = basename_of(path);
  if (!safe_name(dscname) || !ends_with(dscname, ".dsc")) throw InputError(path, 0, "not a .dsc file name");
  deb::Paragraph out;
  out.set("Package", source);
  for (const auto& f : d.fields) {
    if (f.name == "Source") continue;
    deb::Field copy = f;
    copy.comments_before.clear();
    out.fields.push_back(copy);
  }
  // as apt-ftparchive sources writes them: the .dsc itself first, then the
  // files in the .dsc's order, every hash computed from the files (a .dsc
  // without Checksums-Sha512 still gets one); no Priority/Section (they come
  // only from an override file, which hapkg does not have)
  std::vector<deb::FileHashes> files{dh};
  files.insert(files.end(), hashes.begin(), hashes.end());
  out.set("Files", deb::files_md5(files));
  out.set("Checksums-Sha1", deb::checksums_sha1(files));
  out.set("Checksums-Sha256", deb::checksums_sha256(files));
  out.set("Checksums-Sha512", deb::checksums_sha512(files));
  out.set("Directory", dir);
  plan.entry = {"dsc", source, ver, "source", apt_order(out, true, path)};
  plan.copies.push_back({path, dir + "/" + dscname, dh});
  for (const auto& h : hashes) plan.copies.push_back({dirname_of(path) + "/" + h.name, dir + "/" + h.name, h});
  return plan;
}

std::vector<Plan> plan_changes(const std::string& path, const std::string& comp_given, const SuiteConfig& s) {
  auto doc = deb::read_deb822(path, deb::Deb822Kind::kChanges);
  if (doc.paragraphs.size() != 1) throw InputError(path, 0, "a .changes must have one paragraph");
  const deb::Paragraph& c = doc.paragraphs.front();
  verify_changes_files(c, path);
  std::vector<Plan> plans;
  for (const auto& l : changes_files(c, path)) {
    std::string f = dirname_of(path) + "/" + l.name;
    if (ends_with(l.name, ".deb") || ends_with(l.name, ".udeb")) {
      plans.push_back(plan_deb(f, comp_given, s));
    } else if (ends_with(l.name, ".dsc")) {
      plans.push_back(plan_dsc(f, comp_given, s, l.section));  // the section picks the component
    }
  }
  return plans;
}

}  // namespace

std::string pool_dir(const std::string& component, const std::string& source) {
  std::string prefix = source.rfind("lib", 0) == 0 && source.size() > 3 ? source.substr(0, 4) : source.substr(0, 1);
  return "pool/" + component + "/" + prefix + "/" + source;
}

std::vector<SuiteConfig> read_config(const std::string& dir) {
  std::string f = dir + "/conf/distributions";
  if (!exists(f)) throw InputError(f, 0, "not a hapkg archive (run 'hapkg archive init' first)");
  auto doc = deb::read_deb822(f, deb::Deb822Kind::kGeneric);
  std::vector<SuiteConfig> out;
  for (const auto& p : doc.paragraphs) {
    SuiteConfig s;
    s.suite = p.get("Suite");
    s.codename = p.get("Codename", s.suite);
    s.origin = p.get("Origin", "hapkg");
    s.label = p.get("Label", s.origin);
    s.description = p.get("Description");
    s.components = words(p.get("Components"));
    s.architectures = words(p.get("Architectures"));
    if (s.suite.empty() || s.components.empty() || s.architectures.empty())
      throw InputError(f, p.line, "Suite, Components and Architectures are required");
    out.push_back(s);
  }
  return out;
}

void write_config(const std::string& dir, const std::vector<SuiteConfig>& suites) {
  std::string text;
  for (const auto& s : suites) {
    deb::Paragraph p;
    p.set("Suite", s.suite);
    p.set("Codename", s.codename);
    p.set("Origin", s.origin);
    p.set("Label", s.label);
    if (!s.description.empty()) p.set("Description", s.description);
    p.set("Components", join(s.components));
    p.set("Architectures", join(s.architectures));
    text += (text.empty() ? "" : "\n") + deb::render_paragraph(p, deb::Deb822Kind::kGeneric, true,
                                                                deb::FieldOrder::kAsIs);
  }
  std::filesystem::create_directories(dir + "/conf");
  write_file_atomic(dir + "/conf/distributions", text);
}

const SuiteConfig& find_suite(const std::vector<SuiteConfig>& suites, const std::string& name) {
  for (const auto& s : suites)
    if (s.suite == name || s.codename == name) return s;
  throw InputError("unknown suite '" + name + "'");
}

void init_archive(const std::string& dir, const SuiteConfig& suite) {
  if (!safe_name(suite.suite) || !safe_name(suite.codename)) throw InputError("invalid suite name");
  for (const auto& c : suite.components)
    if (!safe_name(c)) throw InputError("invalid component name '" + c + "'");
  if (suite.architectures.empty()) throw InputError("at least one architecture is needed");
  for (const auto& a : suite.architectures) check_architecture(a);
  std::vector<SuiteConfig> suites;
  if (exists(dir + "/conf/distributions")) suites = read_config(dir);
  auto it = std::find_if(suites.begin(), suites.end(), [&](const SuiteConfig& s) { return s.suite == suite.suite; });
  if (it != suites.end()) *it = suite;
  else suites.push_back(suite);
  std::filesystem::create_directories(dir + "/pool");
  std::filesystem::create_directories(dir + "/dists");
  write_config(dir, suites);
}

IncludeResult include_files(const std::string& dir, const std::string& suite, const std::string& component,
                            const std::vector<std::string>& files) {
  auto suites = read_config(dir);
  const SuiteConfig& s = find_suite(suites, suite);
  if (!component.empty()) component_of("", component, s);
  // 1. verify every input before anything is copied
  std::vector<Plan> plans;
  for (const auto& f : files) {
    if (ends_with(f, ".deb") || ends_with(f, ".udeb")) plans.push_back(plan_deb(f, component, s));
    else if (ends_with(f, ".dsc")) plans.push_back(plan_dsc(f, component, s));
    else if (ends_with(f, ".changes")) {
      auto more = plan_changes(f, component, s);
      plans.insert(plans.end(), more.begin(), more.end());
    } else {
      throw InputError(f, 0, "unsupported file type (expected .deb, .dsc or .changes)");
    }
  }
  // 2. compare with what the suite already holds, and the pool
  std::map<std::pair<std::string, std::string>, std::vector<Entry>> db;
  auto db_of = [&](const std::string& comp, const std::string& kind) -> std::vector<Entry>& {
    auto key = std::make_pair(comp, kind);
    auto it = db.find(key);
    if (it == db.end()) it = db.emplace(key, read_db(dir, s.suite, comp, kind)).first;
    return it->second;
  };
  auto content_key = [](const Entry& e) {
    return e.kind == "deb" ? e.stanza.get("SHA256") : e.stanza.get("Checksums-Sha256", e.stanza.get("Files"));
  };
  IncludeResult result;
  std::vector<Plan*> todo;
  for (auto& plan : plans) {
    std::string id = plan.entry.package + " " + plan.entry.version + " " + plan.entry.architecture;
    bool same = false;
    for (const auto& comp : s.components)
      for (const auto& e : db_of(comp, plan.entry.kind)) {
        if (e.package != plan.entry.package || e.architecture != plan.entry.architecture) continue;
        if (deb::compare_versions(e.version, plan.entry.version) != 0) continue;
        if (content_key(e) != content_key(plan.entry) || comp != plan.component)
          throw InputError(plan.copies.front().src, 0,
                           id + " is already in " + s.suite + "/" + comp + " with different content");
        same = true;
      }
    for (const auto& c : plan.copies) {
      std::string dest = dir + "/" + c.dest;
      if (exists(dest) && deb::hash_file(dest).sha256 != c.h.sha256)
        throw InputError(c.src, 0, "already in the archive as " + c.dest + " with different content");
    }
    if (same) result.unchanged.push_back(id);
    else todo.push_back(&plan);
  }
  // 3. copy into the pool, then record in the database
  bool replaced = false;
  for (Plan* plan : todo) {
    for (const auto& c : plan->copies) copy_into_pool(c.src, dir + "/" + c.dest, c.h);
    auto& entries = db_of(plan->component, plan->entry.kind);
    // a newer or older version of the same package/arch replaces the old one in the suite (one version per suite)
    auto before = entries.size();
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&](const Entry& e) {
                                   return e.package == plan->entry.package &&
                                          e.architecture == plan->entry.architecture;
                                 }),
                  entries.end());
    replaced |= entries.size() != before;
    entries.push_back(plan->entry);
    result.added.push_back(plan->entry.package + " " + plan->entry.version + " " + plan->entry.architecture);
  }
  if (replaced) mark_cleanup_pending(dir);
  for (auto& [key, entries] : db) write_db(dir, s.suite, key.first, key.second, entries);
  return result;
}

RemoveResult remove_packages(const std::string& dir, const std::string& suite, const std::vector<std::string>& names,
                             const ExportOptions& options) {
  auto suites = read_config(dir);
  const SuiteConfig& s = find_suite(suites, suite);
  std::vector<std::string> removed;
  for (const auto& comp : s.components)
    for (const char* kind : {"deb", "dsc"}) {
      auto entries = read_db(dir, s.suite, comp, kind);
      auto keep = entries.size();
      entries.erase(std::remove_if(entries.begin(), entries.end(),
                                   [&](const Entry& e) {
                                     bool hit = std::find(names.begin(), names.end(), e.package) != names.end();
                                     if (hit) removed.push_back(e.package + " " + e.version + " " + e.architecture);
                                     return hit;
                                   }),
                    entries.end());
      if (entries.size() == keep) continue;
      mark_cleanup_pending(dir);
      write_db(dir, s.suite, comp, kind, entries);
    }
  RemoveResult r;
  r.removed = removed;
  if (!removed.empty()) r.deleted = export_archive(dir, options);  // indices first, then the pool files
  return r;
}

// The marker is written before the database loses a reference and removed
// only after delete_unreferenced has run, so a crash in between leaves it
// set. Walking a pool of thousands of package directories is most of an
// export's system time; without the marker nothing can have become garbage.
static std::string cleanup_marker(const std::string& dir) { return dir + "/db/cleanup-pending"; }

void mark_cleanup_pending(const std::string& dir) { write_file_atomic(cleanup_marker(dir), ""); }

bool cleanup_pending(const std::string& dir) {
  struct stat st;
  return ::lstat(cleanup_marker(dir).c_str(), &st) == 0;
}

void clear_cleanup_pending(const std::string& dir) {
  if (::unlink(cleanup_marker(dir).c_str()) != 0 && errno != ENOENT) throw_errno("unlink " + cleanup_marker(dir));
}

std::vector<std::string> delete_unreferenced(const std::string& dir) {
  std::set<std::string> referenced;
  for (const auto& s : read_config(dir))
    for (const auto& comp : s.components) {
      for (const auto& e : read_db(dir, s.suite, comp, "deb")) referenced.insert(e.stanza.get("Filename"));
      for (const auto& e : read_db(dir, s.suite, comp, "dsc")) {
        std::istringstream files(e.stanza.get("Files"));
        std::string md5, size, name;
        while (files >> md5 >> size >> name) referenced.insert(e.stanza.get("Directory") + "/" + name);
      }
    }
  std::vector<std::string> deleted;
  if (!exists(dir + "/pool")) return deleted;
  std::vector<std::string> dirs;
  std::set<std::string> kept_dirs;  // hold a referenced file: never empty, no rmdir attempt
  for (auto it = std::filesystem::recursive_directory_iterator(dir + "/pool");
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    std::string path = it->path().string();
    std::string rel = path.substr(dir.size() + 1);  // "pool/..." (no per-file canonicalisation)
    if (it->is_directory()) {
      dirs.push_back(path);
    } else if (!referenced.count(rel)) {
      deleted.push_back(rel);
    } else {
      for (auto slash = path.rfind('/'); slash != std::string::npos && slash > dir.size();
           slash = path.rfind('/', slash - 1))
        if (!kept_dirs.insert(path.substr(0, slash)).second) break;  // its parents are in already
    }
  }
  std::sort(deleted.begin(), deleted.end());
  for (const auto& rel : deleted)
    if (::unlink((dir + "/" + rel).c_str()) != 0 && errno != ENOENT) throw_errno("unlink " + rel);
  // pool directories left empty go too, deepest first (rmdir fails on any still in use)
  std::sort(dirs.begin(), dirs.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& d : dirs)
    if (!kept_dirs.count(d)) ::rmdir(d.c_str());
  return deleted;
}

std::vector<Entry> list_entries(const std::string& dir, const std::string& suite) {
  auto suites = read_config(dir);
  const SuiteConfig& s = find_suite(suites, suite);
  std::vector<Entry> out;
  for (const auto& comp : s.components)
    for (const char* kind : {"dsc", "deb"}) {
      auto e = read_db(dir, s.suite, comp, kind);
      out.insert(out.end(), e.begin(), e.end());
    }
  return out;
}

}  // namespace hapkg::archive
