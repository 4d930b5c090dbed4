#include "tracker/upstream/track.h"

#include <algorithm>
#include <optional>

#include <filesystem>
#include <sstream>

#include <spdlog/spdlog.h>

#include "deb/changelog.h"
#include "deb/deb822.h"
#include "deb/version.h"
#include "util/archive_api.h"
#include "util/http.h"
#include "util/error.h"
#include "util/file.h"
#include "util/progress.h"
#include "util/strings.h"

namespace hapkg::tracker {

TrackEntry read_tree(const std::string& dir) {
  TrackEntry e;
  e.tree = dir;
  std::string prefix = dir == "." ? "" : dir + "/";
  std::string changelog = prefix + "debian/changelog";
  deb::Changelog cl = deb::read_changelog(changelog);
  if (cl.entries.empty()) throw InputError(changelog, 0, "no changelog entry");
  e.source = cl.entries.front().source;
  e.version = cl.entries.front().version;
  e.lines = read_watch(prefix + "debian/watch", e.source).lines;
  return e;
}

static bool is_grouped(const TrackEntry& e);

void scan_entry(TrackEntry& e) {
  e.results.clear();
  // uscan's common_newversion: what the first line found; a `same` line
  // looks for exactly that version (a component tarball released with it).
  // With `group` lines (uscan's process_group), the packaged upstream
  // version is split at "+~": each group line takes the next part ("0" when
  // there is none) and starts a new common_newversion.
  std::string version = e.version.empty() ? "0" : e.version;
  std::vector<std::string> parts;
  if (is_grouped(e)) {
    std::string u = upstream_part(version);
    for (std::size_t b = 0;;) {
      auto p = u.find("+~", b);
      parts.push_back(u.substr(b, p == std::string::npos ? std::string::npos : p - b));
      if (p == std::string::npos) break;
      b = p + 2;
    }
  }
  std::size_t next_part = 0;
  std::optional<std::string> common;
  for (const auto& line : e.lines) {
    if (line.lastversion == "group") {
      common.reset();
      version = (next_part < parts.size() ? parts[next_part++] : "0") + "-0";
    }
    e.results.push_back(scan_line(line, e.source, version, common && line.lastversion == "same" ? &*common : nullptr));
    const ScanResult& r = e.results.back();
    if (!common && r.error.empty()) common = r.upstream_version;
  }
}

void scan_entries(std::vector<TrackEntry>& entries) {
  Progress progress("scanning upstreams", entries.size());
  for (auto& e : entries) {
    progress.step(e.source);
    scan_entry(e);
  }
}

void add_archive_versions(std::vector<TrackEntry>& entries, const std::vector<std::string>& archives) {
  for (const auto& a : archives) {
    auto index = read_sources_index(a);
    for (auto& e : entries) {
      auto it = index.find(e.source);
      if (it != index.end()) e.archives[a] = it->second;
    }
  }
}

Diagnostics diagnostics(const std::vector<TrackEntry>& entries) {
  Diagnostics d;
  for (const auto& e : entries)
    for (const auto& r : e.results) {
      for (const auto& w : r.warnings) d.warnings.push_back(InputError::at(r.file, r.line) + ": " + w);
      if (!r.error.empty()) d.errors.push_back(r.error);
    }
  return d;
}

std::vector<DownloadResult> download_newer(const std::vector<TrackEntry>& entries, bool progress_bar,
                                           const std::string& dest) {
  std::vector<DownloadResult> out;
  for (const auto& e : entries)
    for (std::size_t i = 0; i < e.results.size(); ++i) {
      if (!e.results[i].newer() || e.tree.empty()) continue;
      std::string sig;
      if (e.lines[i].pgpmode == "next" && i + 1 < e.lines.size() && e.lines[i + 1].pgpmode == "previous") {
        auto s = scan_line(e.lines[i + 1], e.source, e.version, &e.results[i].upstream_version);
        if (!s.error.empty()) throw OperationError(s.error);
        sig = s.upstream_url;
      }
      out.push_back(download_newest(e.lines[i], e.results[i], e.source, e.tree, dest.empty() ? e.tree + "/.." : dest,
                                    progress_bar, sig));
      spdlog::info("{}: wrote {}{}", e.source, out.back().path,
                   out.back().signature.empty() ? "" : " (signature verified)");
    }
  return out;
}

Exit track_exit_status(const std::vector<TrackEntry>& entries, bool downloading) {
  bool newer = false, failed = false, skipped = false;
  for (const auto& e : entries)
    for (const auto& r : e.results) {
      newer |= r.newer();
      skipped |= r.skipped;
      failed |= !r.error.empty();
    }
  if (failed && !newer) return Exit::kFailure;
  if (skipped && !downloading) return Exit::kProblem;
  return newer ? Exit::kOk : Exit::kProblem;
}

std::vector<TrackEntry> read_manifest(const std::string& path) {
  deb::Deb822 d = deb::read_deb822(path, deb::Deb822Kind::kControl);
  std::vector<TrackEntry> out;
  for (const auto& p : d.paragraphs) {
    // The pipeline's paragraphs (tools/pipeline/manifest.h) share the file:
    // its global and series settings, and sources with no upstream to track
    // (hapkg itself, packaged from this repository).
    if (p.has("Pipeline") || p.has("Series")) continue;
    if (!p.has("Watch") && p.get("Packaging") == "repository") continue;
    TrackEntry e;
    e.source = p.get("Source");
    if (e.source.empty()) throw InputError(path, p.line, "paragraph without a Source field");
    e.version = p.get("Version");
    const deb::Field* watch = p.find("Watch");
    if (!watch || watch->value.empty())
      throw InputError(path, p.line, "paragraph for " + e.source + " without a Watch field");
    // The field's lines as a version 4 watch file whose line numbers are
    // the manifest's: "version=4", blank lines, then the field's raw lines
    // (its first line, after "Watch:", at the field's own line).
    std::string text = "version=4\n" + std::string(watch->line > 2 ? watch->line - 2 : 0, '\n');
    std::istringstream in(watch->raw.substr(watch->name.size() + 1));
    for (std::string l; std::getline(in, l);) {
      l = ltrim(l);
      text += (l == "." ? "" : l) + "\n";
    }
    for (auto& line : parse_watch(text, path, e.source).lines) e.lines.push_back(std::move(line));
    out.push_back(std::move(e));
  }
  return out;
}

std::map<std::string, std::string> read_sources_index(const std::string& where) {
  deb::Deb822 d;
  if (where.rfind("http://", 0) != 0 && where.rfind("https://", 0) != 0) {
    d = deb::read_deb822(where, deb::Deb822Kind::kSources);
  } else {
    std::string raw = http_get(where).body;
    std::string text;  // libarchive's raw format undoes gz/xz/bz2 (and passes plain text through)
    const ArchiveApi& la = libarchive();
    archive* a = la.read_new();
    la.read_support_filter_all(a);
    la.read_support_format_raw(a);
    la.read_support_format_empty(a);
    archive_entry* ent = nullptr;
    if (la.read_open_memory(a, raw.data(), raw.size()) == ARCHIVE_OK &&
        la.read_next_header(a, &ent) == ARCHIVE_OK) {
      char buf[65536];
      la_ssize_t n;
      while ((n = la.read_data(a, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    }
    la.read_free(a);
    d = deb::parse_deb822(text, where, deb::Deb822Kind::kSources);
  }
  std::map<std::string, std::string> out;
  for (const auto& p : d.paragraphs) {
    std::string pkg = p.get("Package"), ver = p.get("Version");
    if (pkg.empty() || ver.empty()) continue;
    auto it = out.find(pkg);
    if (it == out.end() || deb::compare_versions(ver, it->second) > 0) out[pkg] = ver;
  }
  return out;
}

namespace {
std::string dehs_escape(std::string s) {  // uscan's order: <, then >, then &
  auto rep = [&](const std::string& from, const std::string& to) {
    for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  };
  rep("<", "&lt;");
  rep(">", "&gt;");
  rep("&", "&amp;");
  return s;
}
}  // namespace

static bool is_grouped(const TrackEntry& e) {
  return std::any_of(e.lines.begin(), e.lines.end(), [](const WatchLine& l) { return l.lastversion == "group"; });
}

std::string render_dehs(const std::vector<TrackEntry>& entries) {
  std::string out = "<dehs>\n";
  auto tag = [&](const char* name, const std::string& v) {
    out += std::string("<") + name + ">" + dehs_escape(v) + "</" + name + ">\n";
  };
  for (const auto& e : entries) {
    bool several = e.results.size() > 1 ||
                   std::any_of(e.results.begin(), e.results.end(), [](const ScanResult& r) { return !r.component.empty(); });
    if (several) {  // one watch file, several lines: uscan's first-wins tags, then the components
      tag("package", e.source);
      auto first = [&](const char* name, std::string ScanResult::*field) {
        for (const auto& r : e.results)
          if (r.error.empty() && !r.skipped) {
            if (!(r.*field).empty() || field != &ScanResult::status) return tag(name, r.*field);
          }
      };
      if (is_grouped(e)) {  // the group lines' versions joined with "+~", compared as one
        std::string up, deb, mangled;
        bool any_deb = false, any_mangled = false;
        for (std::size_t i = 0; i < e.results.size() && i < e.lines.size(); ++i) {
          const ScanResult& r = e.results[i];
          if (e.lines[i].lastversion != "group" || !r.error.empty() || r.skipped) continue;
          auto join = [](std::string& to, const std::string& v) { to += (to.empty() ? "" : "+~") + v; };
          join(up, r.upstream_version);
          join(deb, r.debian_uversion);
          join(mangled, r.debian_mangled_uversion);
          any_deb |= !r.debian_uversion.empty() && r.debian_uversion != "0";  // Perl truth
          any_mangled |= !r.debian_mangled_uversion.empty() && r.debian_mangled_uversion != "0";
        }
        if (any_deb) tag("debian-uversion", deb);
        if (any_mangled) tag("debian-mangled-uversion", mangled);
        tag("upstream-version", up);
        first("upstream-url", &ScanResult::upstream_url);
        int c = deb::compare_versions("1:" + mangled + "-0", "1:" + up + "-0");
        tag("status", c == 0 ? "up to date" : c > 0 ? "only older package available" : "newer package available");
      } else {
        first("debian-uversion", &ScanResult::debian_uversion);
        first("debian-mangled-uversion", &ScanResult::debian_mangled_uversion);
        first("upstream-version", &ScanResult::upstream_version);
        first("upstream-url", &ScanResult::upstream_url);
        first("status", &ScanResult::status);
      }
      for (const auto& r : e.results) {
        if (r.skipped) continue;
        for (const auto& w : r.warnings) tag("warnings", w);
        if (!r.error.empty()) tag("warnings", r.error);
      }
      for (const auto& r : e.results) {
        if (r.component.empty() || !r.error.empty() || r.skipped) continue;
        out += "<component id=\"" + r.component + "\">\n";
        auto ctag = [&](const char* name, const std::string& v) {
          if (!v.empty() && v != "0") out += std::string("  <component-") + name + ">" + v + "</component-" + name + ">\n";
        };
        ctag("debian-uversion", r.debian_uversion);
        ctag("debian-mangled-uversion", r.debian_mangled_uversion);
        ctag("upstream-version", r.upstream_version);
        ctag("upstream-url", r.upstream_url);
        out += "</component>\n";
      }
      continue;
    }
    for (const auto& r : e.results) {
      if (r.skipped) continue;
      tag("package", e.source);
      if (r.error.empty()) {
        tag("debian-uversion", r.debian_uversion);
        tag("debian-mangled-uversion", r.debian_mangled_uversion);
        tag("upstream-version", r.upstream_version);
        tag("upstream-url", r.upstream_url);
        tag("status", r.status);
      }
      for (const auto& w : r.warnings) tag("warnings", w);
      if (!r.error.empty()) tag("warnings", r.error);
    }
  }
  return out + "</dehs>\n";
}

std::string render_table(const std::vector<TrackEntry>& entries, const std::vector<std::string>& labels) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head{"SOURCE", "OURS", "UPSTREAM"};
  for (const auto& l : labels) head.push_back(l);
  head.push_back("STATUS");
  rows.push_back(head);
  for (const auto& e : entries) {
    for (const auto& r : e.results) {
      std::vector<std::string> row{r.component.empty() ? e.source : e.source + " [" + r.component + "]",
                                   e.version.empty() ? "-" : e.version,
                                   r.upstream_version.empty() ? "-" : r.upstream_version};
      for (const auto& l : labels) {
        auto it = e.archives.find(l);
        row.push_back(it == e.archives.end() ? "-" : it->second);
      }
      row.push_back(!r.error.empty() ? "error: " + r.error : r.skipped ? "skipped (signature line)" : r.status);
      rows.push_back(row);
    }
  }
  std::vector<std::size_t> w(head.size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(w[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

nlohmann::json to_json(const std::vector<TrackEntry>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    for (const auto& r : e.results) {
      nlohmann::json j = {{"package", e.source},
                          {"debian-version", e.version},
                          {"debian-uversion", r.debian_uversion},
                          {"debian-mangled-uversion", r.debian_mangled_uversion},
                          {"upstream-version", r.upstream_version},
                          {"upstream-url", r.upstream_url},
                          {"status", r.status},
                          {"watch", InputError::at(r.file, r.line)},
                          {"warnings", r.warnings}};
      if (!r.error.empty()) j["error"] = r.error;
      if (!r.component.empty()) j["component"] = r.component;
      if (r.skipped) j["skipped"] = true;
      if (!e.archives.empty()) j["archives"] = e.archives;
      out.push_back(j);
    }
  }
  return out;
}

}  // namespace hapkg::tracker
