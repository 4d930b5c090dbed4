#include "pipeline/manifest.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include "deb/deb822.h"
#include "util/error.h"
#include "util/strings.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Every field of the paragraph must be one this kind of paragraph knows.
void check_fields(const std::string& path, const deb::Paragraph& p, const std::set<std::string>& known,
                  const std::string& kind) {
  for (const auto& f : p.fields)
    if (!known.count(lower(f.name)))
      throw InputError(path, f.line, "unknown field " + f.name + " in a " + kind + " paragraph");
}

std::size_t line_of(const deb::Paragraph& p, const char* field) {
  const deb::Field* f = p.find(field);
  return f ? f->line : p.line;
}

std::string absolute(const std::string& base, const std::string& p) {
  if (p.empty()) return p;
  return fs::weakly_canonical(fs::path(p).is_absolute() ? fs::path(p) : fs::path(base) / p).string();
}

// The paragraph's bytes, as rendered for hashing (comments included: a
// comment change is a harmless rerun, a missed change is not).
std::string raw_of(const deb::Paragraph& p) {
  std::string s;
  for (const auto& f : p.fields) s += f.raw;
  return s;
}

std::vector<tracker::WatchLine> read_watch_field(const std::string& path, const deb::Paragraph& p,
                                                 const std::string& source) {
  const deb::Field* f = p.find("Watch");
  if (!f) return {};
  std::string text = "version=4\n";
  std::istringstream in(f->value);
  for (std::string l; std::getline(in, l);) {
    l = trim(l);
    text += (l == "." ? "" : l) + "\n";
  }
  try {
    auto lines = tracker::parse_watch(text, path, source).lines;
    for (auto& l : lines) {
      l.file = path;
      l.line = f->line;
    }
    return lines;
  } catch (const InputError& e) {
    // parse_watch names its own text's lines; the user's file is the manifest.
    std::string msg = e.what();
    auto colon = msg.find(": ");
    throw InputError(path, f->line, "bad Watch line for " + source + ": " +
                                        (colon == std::string::npos ? msg : msg.substr(colon + 2)));
  }
}

Packaging read_packaging(const std::string& path, const deb::Paragraph& p, const std::string& base) {
  Packaging pk;
  std::size_t line = line_of(p, "Packaging");
  auto w = words(p.get("Packaging"));
  if (w.size() == 1 && w[0] == "repository") {
    pk.kind = Packaging::Kind::kRepository;
  } else if (w.size() == 2 && w[0] == "sources") {
    pk.kind = Packaging::Kind::kSources;
    pk.uri = absolute(base, w[1]);  // its Sources file is read (and required) by fetch
  } else if (w.size() == 3) {
    pk.kind = Packaging::Kind::kIndex;
    bool url = w[0].rfind("http://", 0) == 0 || w[0].rfind("https://", 0) == 0;
    pk.uri = url ? w[0] : absolute(base, w[0].rfind("file:", 0) == 0 ? w[0].substr(5) : w[0]);
    if (!url && !fs::is_directory(pk.uri)) throw InputError(path, line, "Packaging: no mirror directory " + pk.uri);
    pk.suite = w[1];
    pk.component = w[2];
    pk.keyring = absolute(base, p.get("Packaging-Keyring", "/usr/share/keyrings/debian-archive-keyring.gpg"));
  } else {
    throw InputError(path, line, "Packaging must be 'repository', 'sources DIR' or 'URI SUITE COMPONENT'");
  }
  pk.version = p.get("Packaging-Version");
  if (p.has("Dsc-Keyring")) {
    for (const auto& k : words(p.get("Dsc-Keyring"))) pk.dsc_keyrings.push_back(absolute(base, k));
    for (const auto& k : pk.dsc_keyrings)
      if (!fs::is_regular_file(k)) throw InputError(path, line_of(p, "Dsc-Keyring"), "Dsc-Keyring: no keyring " + k);
  } else {
    // dscverify's keyrings, those of them installed (package debian-keyring)
    for (const char* k : {"/usr/share/keyrings/debian-keyring.gpg", "/usr/share/keyrings/debian-nonupload.gpg",
                          "/usr/share/keyrings/debian-maintainers.gpg"})
      if (fs::is_regular_file(k)) pk.dsc_keyrings.push_back(k);
  }
  return pk;
}

// Launchpad's names (person, team, PPA): lower-case letters, digits and
// "+-."; nothing that dput.cf's own syntax (newline, %, =) could read.
bool launchpad_name(const std::string& s) {
  if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (std::islower(c) || std::isdigit(c) || c == '+' || c == '-' || c == '.');
  });
}

UploadTarget read_upload(const std::string& path, const deb::Paragraph& p, const std::string& base) {
  UploadTarget t;
  t.line = line_of(p, "Upload");
  auto w = words(p.get("Upload", "none"));
  if (w.size() == 1 && w[0] == "none") return t;
  if (w.size() == 2 && w[0] == "local") {
    t.kind = UploadTarget::Kind::kLocal;
    t.dir = absolute(base, w[1]);
    // dput.cf interpolates %(name)s: a % in the path would be read as one.
    if (t.dir.find('%') != std::string::npos) throw InputError(path, t.line, "Upload: local DIR must not contain '%'");
    return t;
  }
  if (w.size() == 1 && w[0].rfind("ppa:", 0) == 0) {
    std::string rest = w[0].substr(4);
    auto slash = rest.find('/');
    t.kind = UploadTarget::Kind::kPpa;
    t.owner = rest.substr(0, slash);
    t.ppa = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (!launchpad_name(t.owner) || !launchpad_name(t.ppa))
      throw InputError(path, t.line, "Upload: '" + w[0] + "' is not ppa:OWNER/NAME (Launchpad names: a-z 0-9 + - .)");
    return t;
  }
  if (w.size() == 2 && w[0] == "dput") {
    t.kind = UploadTarget::Kind::kDput;
    t.host = w[1];
    if (t.host[0] == '-') throw InputError(path, t.line, "Upload: dput target '" + t.host + "' looks like an option");
    return t;
  }
  throw InputError(path, t.line, "Upload must be 'none', 'local DIR', 'ppa:OWNER/NAME' or 'dput TARGET'");
}

void read_global(Manifest& m, const deb::Paragraph& p) {
  check_fields(m.path, p,
               {"pipeline", "base", "archive", "signing-key", "work-items", "state", "maintainer", "upload"},
               "Pipeline");
  m.name = p.get("Pipeline");
  m.global_raw = raw_of(p);
  m.base = absolute(fs::path(m.path).parent_path().string(), p.get("Base", "."));
  m.state = absolute(m.base, p.get("State", "build/pipeline"));
  m.archive = absolute(m.state, p.get("Archive", "archive"));
  m.archive_given = p.has("Archive");
  std::string key = p.get("Signing-Key", "generate");
  m.signing_key = key == "generate" ? key : absolute(m.base, key);
  for (const auto& w : words(p.get("Work-Items"))) m.work_items.push_back(absolute(m.base, w));
  m.maintainer = p.get("Maintainer");
  m.upload = read_upload(m.path, p, m.base);
}

SeriesEntry read_series(const Manifest& m, const deb::Paragraph& p) {
  check_fields(m.path, p, {"series", "version-rule", "old-release", "ha-stack", "expect-installed", "chroot-mirror",
                               "next-release"},
               "Series");
  SeriesEntry s;
  s.name = p.get("Series");
  s.line = p.line;
  s.raw = raw_of(p);
  auto rule = words(p.get("Version-Rule"));
  if (rule.size() == 1 && rule[0] == "ppa") {
    s.ppa = true;
  } else if (rule.size() == 2 && rule[0] == "backport") {
    s.backport = rule[1];
  } else {
    throw InputError(m.path, line_of(p, "Version-Rule"),
                     "series " + s.name + ": Version-Rule must be 'ppa' or 'backport N'");
  }
  for (const auto& w : words(p.get("Old-Release"))) s.old_release.push_back(absolute(m.base, w));
  if (s.old_release.empty())
    throw InputError(m.path, p.line, "series " + s.name + " without Old-Release indices (the upgrade check needs them)");
  s.ha_stack = words(p.get("HA-Stack"));
  s.expect_installed = words(p.get("Expect-Installed"));
  s.chroot_mirror = p.get("Chroot-Mirror");
  // Missing data is an error, never a pass: an index named must be there.
  for (const auto& w : words(p.get("Next-Release"))) {
    s.next_release.push_back(absolute(m.base, w));
    if (!fs::is_regular_file(s.next_release.back()))
      throw InputError(m.path, line_of(p, "Next-Release"),
                       "series " + s.name + ": Next-Release index " + s.next_release.back() + " is missing");
  }
  return s;
}

SourceEntry read_source(const Manifest& m, const deb::Paragraph& p) {
  check_fields(m.path, p,
               {"source", "version", "watch", "packaging", "packaging-keyring", "packaging-version", "dsc-keyring",
                "patches", "build", "targets"},
               "Source");
  SourceEntry e;
  e.name = p.get("Source");
  e.line = p.line;
  e.raw = raw_of(p);
  e.version = p.get("Version");
  e.watch = read_watch_field(m.path, p, e.name);
  if (!p.has("Packaging")) return e;
  e.packaging = read_packaging(m.path, p, m.base);
  std::string patches = absolute(m.base, p.get("Patches", "patches/" + e.name));
  if (p.has("Patches") && !fs::exists(patches + "/series"))
    throw InputError(m.path, line_of(p, "Patches"), "no series file in " + patches);
  if (fs::exists(patches + "/series")) e.patches = patches;
  std::string build = p.get("Build", "binaries");
  if (build != "binaries" && build != "source")
    throw InputError(m.path, line_of(p, "Build"), "Build must be 'binaries' or 'source', not '" + build + "'");
  e.binaries = build == "binaries";
  e.targets = words(p.get("Targets"));
  return e;
}

}  // namespace

const SourceEntry* Manifest::find(const std::string& source) const {
  for (const auto& s : sources)
    if (s.name == source) return &s;
  return nullptr;
}

const SeriesEntry& Manifest::series_named(const std::string& name) const {
  for (const auto& s : series)
    if (s.name == name) return s;
  throw InputError(path, 0, "unknown series " + name);
}

Manifest read_manifest(const std::string& path) {
  Manifest m;
  m.path = path;
  deb::Deb822 d = deb::read_deb822(path, deb::Deb822Kind::kControl);
  const deb::Paragraph* global = nullptr;
  for (const auto& p : d.paragraphs)
    if (p.has("Pipeline")) {
      if (global) throw InputError(path, p.line, "a second Pipeline paragraph");
      global = &p;
    }
  if (!global) throw InputError(path, 0, "no Pipeline paragraph (archive, signing key, state)");
  read_global(m, *global);
  std::set<std::string> seen;
  for (const auto& p : d.paragraphs) {
    if (&p == global) continue;
    if (p.has("Series")) {
      m.series.push_back(read_series(m, p));
    } else if (p.has("Source")) {
      SourceEntry e = read_source(m, p);
      if (!seen.insert(e.name).second) throw InputError(path, p.line, "source " + e.name + " listed twice");
      if (p.has("Packaging")) m.sources.push_back(std::move(e));
    } else {
      throw InputError(path, p.line, "paragraph without a Pipeline, Series or Source field");
    }
  }
  if (m.series.empty()) throw InputError(path, global->line, "no Series paragraph (the target series)");
  for (const auto& p : d.paragraphs) {
    const deb::Field* t = p.find("Targets");
    if (!t) continue;
    for (const auto& w : words(t->value))
      if (std::none_of(m.series.begin(), m.series.end(), [&](const SeriesEntry& s) { return s.name == w; }))
        throw InputError(path, t->line, "unknown series " + w + " (no Series paragraph names it)");
  }
  for (auto& s : m.sources)
    if (s.targets.empty())
      for (const auto& se : m.series) s.targets.push_back(se.name);
  return m;
}

}  // namespace hapkg::pipeline
