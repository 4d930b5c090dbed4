#include "source/build.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "deb/hashes.h"
#include "deb/source_tree.h"
#include "deb/version.h"
#include "patch/quilt.h"
#include "source/autopatch.h"
#include "source/binary_files.h"
#include "source/debian_tar.h"
#include "source/diff_ignore.h"
#include "source/orig.h"
#include "source/tree_compare.h"
#include "util/error.h"
#include "util/file.h"
#include "util/log.h"
#include "util/tempdir.h"

namespace hapkg::source {
namespace fs = std::filesystem;
using patch::applied_patches;
using patch::apply_plain;
using patch::patch_targets;
using patch::pop_top;
using patch::push_all;
using patch::read_series;
using patch::Series;

bool ignored_by_build(const std::string& rel) {
  // dpkg's default diff-ignore regex, plus debian/ and .pc (V2.pm).
  return rel == "debian" || rel.rfind("debian/", 0) == 0 || rel == ".pc" || rel.rfind(".pc/", 0) == 0 ||
         default_diff_ignored(rel);
}

std::optional<OrigName> parse_orig_name(const std::string& name, const std::string& prefix) {
  // <prefix>.orig[-<component>].tar.(gz|bz2|lzma|xz)[.asc], component [a-zA-Z0-9-]+
  if (name.rfind(prefix + ".orig", 0) != 0) return std::nullopt;
  std::string_view rest(name);
  rest.remove_prefix(prefix.size() + 5);
  OrigName out;
  if (rest.size() >= 4 && rest.substr(rest.size() - 4) == ".asc") {
    out.signature = true;
    rest.remove_suffix(4);
  }
  if (!rest.empty() && rest.front() == '-') {
    size_t end = 1;
    while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) || rest[end] == '-')) ++end;
    // The component ends where ".tar." begins (a component may not hold a dot).
    out.component = std::string(rest.substr(1, end - 1));
    if (out.component.empty()) return std::nullopt;
    rest.remove_prefix(end);
  }
  if (rest.rfind(".tar.", 0) != 0) return std::nullopt;
  rest.remove_prefix(5);
  if (rest != "gz" && rest != "bz2" && rest != "lzma" && rest != "xz") return std::nullopt;
  return out;
}

namespace {

bool same_content(const std::string& path, const std::string& data) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) != data.size())
    return false;
  return read_file(path, false) == data;
}

bool is_signature(const std::string& n) { return n.size() >= 4 && n.compare(n.size() - 4, 4, ".asc") == 0; }

// What the build works from: the tree's identity and the .dsc fields, all
// read (and validated) before anything is changed or written.
struct Plan {
  std::string dir, parent, changelog;
  deb::ChangelogEntry top;
  std::string src, version, noepoch, upver;
  bool native = false;
  std::int64_t sde = 0;  // SOURCE_DATE_EPOCH: the environment's, else the top entry's date
  deb::Paragraph dsc;    // without Checksums-* and Files
};

std::int64_t source_date_epoch(const deb::ChangelogEntry& top) {
  const char* e = std::getenv("SOURCE_DATE_EPOCH");
  if (!e || !*e) return top.timestamp();
  std::int64_t v = 0;
  std::string_view s(e);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0)
    throw InputError("SOURCE_DATE_EPOCH='" + std::string(s.substr(0, 40)) + "' is not a number of seconds");
  return v;
}

Plan plan_build(const std::string& dir) {
  deb::SourceTree tree = deb::read_source_tree(dir);
  Plan p;
  p.dir = dir;
  p.parent = parent_dir(dir);
  p.changelog = dir + "/debian/changelog";
  p.top = tree.changelog.entries.front();
  p.native = tree.format == "3.0 (native)";
  if (!p.native && tree.format != "3.0 (quilt)")
    throw InputError(dir + "/debian/source/format:1: format '" + tree.format +
                     "' is not supported (only 3.0 (quilt) and 3.0 (native))");
  p.version = p.top.version;
  deb::VersionCheck vc = deb::check_version(p.version);
  if (!vc.ok() || p.version.empty() || !std::isdigit(static_cast<unsigned char>(p.version[0])))
    throw InputError(p.changelog, p.top.line,
                     "invalid version '" + p.version + "'" + (vc.problem.empty() ? "" : ": " + vc.problem));
  if (!p.native && !vc.parts.has_revision)
    throw InputError(p.changelog, p.top.line,
                     "non-native package version '" + p.version + "' does not contain a revision");
  if (p.native && vc.parts.has_revision)
    throw InputError(p.changelog, p.top.line, "native package version '" + p.version + "' may not have a revision");
  p.upver = vc.parts.upstream;
  p.noepoch = vc.parts.upstream + (vc.parts.has_revision ? "-" + vc.parts.revision : "");
  p.src = p.top.source;
  p.sde = source_date_epoch(p.top);
  p.dsc = deb::dsc_fields(tree);
  return p;
}

// The orig tarball(s) beside the tree: exactly one main, any number of
// components and signatures, in the order the .dsc lists them.
struct Origs {
  std::string main;                     // base name
  std::vector<std::string> listed;      // tarballs sorted, then signatures
  std::vector<std::string> components;  // component names
};

Origs find_origs(const Plan& p) {
  Origs o;
  std::string prefix = p.src + "_" + p.upver;
  std::vector<std::string> mains;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(p.parent, ec)) {
    std::string n = entry.path().filename().string();
    std::optional<OrigName> on = parse_orig_name(n, prefix);
    if (!on) continue;
    if (on->component.empty() && !on->signature) mains.push_back(n);
    if (!on->component.empty() && !on->signature) o.components.push_back(on->component);
    o.listed.push_back(n);
  }
  if (ec) throw OperationError("reading " + p.parent + ": " + ec.message());
  if (mains.empty())
    throw InputError(p.parent + ": no orig tarball " + prefix + ".orig.tar.{gz,bz2,lzma,xz} for " + p.dir);
  if (mains.size() > 1)
    throw InputError(p.parent + ": several orig tarballs found for " + prefix + ".orig; only one is allowed");
  o.main = mains[0];
  std::sort(o.listed.begin(), o.listed.end());
  std::sort(o.components.begin(), o.components.end());
  std::stable_partition(o.listed.begin(), o.listed.end(), [](const std::string& n) { return !is_signature(n); });
  return o;
}

TarOptions debian_tar_options(const Plan& p) {
  TarOptions to;
  to.base = p.dir;
  to.roots = {"debian"};
  to.excludes = default_tar_excludes();
  for (const char* f : {"debian/source/local-options", "debian/source/local-patch-header", "debian/files",
                        "debian/files.new", "debian/patches/.dpkg-source-applied"})
    to.excludes.emplace_back(f);
  to.clamp_mtime = p.sde;
  return to;
}

// Binary files in debian/ not listed in debian/source/include-binaries
// (checked first, as dpkg-source does): refused unless `include`.
std::vector<std::string> unlisted_binaries(const Plan& p, const TarOptions& to, bool include) {
  std::vector<std::string> unknown;
  std::set<std::string> allowed = allowed_binaries(p.dir);
  for (const auto& b : debian_binary_files(p.dir, to.excludes))
    if (!allowed.count(b)) unknown.push_back(b);
  if (!unknown.empty() && !include) {
    std::string list;
    for (const auto& b : unknown) list += (list.empty() ? "" : ", ") + b;
    throw InputError(p.dir + ": detected " + std::to_string(unknown.size()) + " unwanted binary file" +
                     (unknown.size() > 1 ? "s" : "") +
                     " (add them in debian/source/include-binaries to allow their inclusion): " + list);
  }
  return unknown;
}

// The comparison of the tree with orig + series (see upstream_changes).
struct Comparison {
  const std::string& dir;
  const std::vector<std::string>& components;
  std::set<std::string> targets;                    // files the series patches touch
  std::map<std::string, std::string> first_patch;   // target -> first series patch touching it
  std::map<std::string, std::pair<char, std::string>> orig_targets;  // fresh push: the orig's version
  std::set<std::string> in_orig, differs;
  std::vector<std::string> removed;
  std::string top;

  // Forgets what a stream found (the targets stay).
  void reset_results() {
    orig_targets.clear();
    in_orig.clear();
    differs.clear();
    removed.clear();
    top.clear();
  }

  bool under_component(const std::string& rel) const {
    for (const auto& c : components)
      if (rel == c || rel.rfind(c + "/", 0) == 0) return true;
    return false;
  }
};

void collect_targets(Comparison& c, const Series& series) {
  for (const auto& e : series.patches) {
    std::string path = c.dir + "/debian/patches/" + e.name;
    if (::access(path.c_str(), F_OK) != 0) throw InputError(series.path, e.line, "patch file " + path + " is missing");
    for (const auto& t : patch_targets(read_file(path), path)) {
      c.targets.insert(t);
      c.first_patch.emplace(t, e.name);
    }
  }
}

void extract_entry(const std::string& root, const std::string& rel, const OrigEntry& e, const std::string& content) {
  std::string dst = root + "/" + rel;
  fs::create_directories(fs::path(dst).parent_path());
  if (e.type == '2') {
    if (::symlink(content.c_str(), dst.c_str()) != 0) throw_errno("symlink " + dst);
  } else {
    write_file_atomic(dst, content, static_cast<int>(e.mode & 0777));
  }
}

// Streams the orig once: files no patch touches are compared with the tree
// on a second thread, the patches' targets are kept (fresh push) or
// extracted to `scratch`. The top directory is guessed from the first
// entry; false when the tarball turns out to have no single top directory
// (the caller reads it again with top "").
bool stream_orig(Comparison& c, const std::string& orig, const std::string& scratch, bool fresh_push, bool guess_top) {
  bool first = true, single_top = true;
  size_t entries = 0;
  TreeComparer comparer(c.dir);
  read_orig(orig, [&](const OrigEntry& e, const std::function<std::string()>& data) {
    ++entries;
    if (first && guess_top) c.top = e.path.substr(0, e.path.find('/'));
    first = false;
    if (!c.top.empty() && e.path != c.top && e.path.rfind(c.top + "/", 0) != 0) single_top = false;
    if (!single_top) return;
    std::string rel = e.path;
    if (!c.top.empty()) rel = rel == c.top ? "" : rel.substr(c.top.size() + 1);
    if (rel.empty() || e.type == '5' || c.under_component(rel)) return;
    const bool target = c.targets.count(rel) > 0;
    // An ignored file a patch edits (a real case: .gitignore) is still
    // needed to apply the series; its changes are ignored like dpkg's diff.
    if (ignored_by_build(rel) && !target) return;
    c.in_orig.insert(rel);
    std::string content = e.type == '2' ? e.link : data();
    if (e.type == '1') return;  // hard links: content checked through their target
    if (!target) return comparer.add(rel, e.type, std::move(content));
    if (fresh_push) c.orig_targets[rel] = {e.type, std::move(content)};
    else extract_entry(scratch, rel, e, content);
  });
  comparer.finish();
  if (guess_top && (!single_top || entries == 1)) return false;
  c.differs.insert(comparer.differs.begin(), comparer.differs.end());
  c.removed.insert(c.removed.end(), comparer.removed.begin(), comparer.removed.end());
  return true;
}

// Fresh push: GNU patch is deterministic, so the tree's patched files equal
// orig + patches exactly when their backups in .pc/<first patch touching
// the file>/ (the files before the push) equal the orig's.
void compare_backups(Comparison& c) {
  for (const auto& t : c.targets) {
    if (ignored_by_build(t)) continue;
    std::string backup = c.dir + "/.pc/" + c.first_patch[t] + "/" + t;
    struct stat sb;
    bool before = ::lstat(backup.c_str(), &sb) == 0;
    auto o = c.orig_targets.find(t);
    bool same;
    if (!before) same = false;  // GNU patch -b backs up every file it patches, even new ones (empty)
    else if (o == c.orig_targets.end()) same = S_ISREG(sb.st_mode) && sb.st_size == 0;  // created by the series
    else if (o->second.first == '2') {
      char buf[4096];
      ssize_t n = S_ISLNK(sb.st_mode) ? ::readlink(backup.c_str(), buf, sizeof buf) : -1;
      same = n >= 0 && std::string(buf, static_cast<size_t>(n)) == o->second.second;
    } else {
      same = same_content(backup, o->second.second);
    }
    if (!same) c.differs.insert(t);
  }
}

// The patches' targets in `scratch` (orig + series) against the tree.
void compare_scratch(Comparison& c, const std::string& scratch) {
  for (const auto& t : c.targets) {
    if (ignored_by_build(t)) continue;
    std::string a = scratch + "/" + t, b = c.dir + "/" + t;
    struct stat sa, sb;
    bool ea = ::lstat(a.c_str(), &sa) == 0, eb = ::lstat(b.c_str(), &sb) == 0;
    if (ea && !eb) c.removed.push_back(t);
    else if (ea != eb || (ea && !same_content(b, read_file(a, false)))) c.differs.insert(t);
  }
}

// Files in the tree that neither the orig nor a patch provides.
void add_untracked(Comparison& c) {
  for (auto it = fs::recursive_directory_iterator(c.dir); it != fs::recursive_directory_iterator(); ++it) {
    // The path as iterated is dir + "/" + rel (no canonicalisation: cheap).
    std::string rel = it->path().string().substr(c.dir.size() + (c.dir.back() == '/' ? 0 : 1));
    if (ignored_by_build(rel) || c.under_component(rel)) {
      if (it->is_directory() && !it->is_symlink()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory() && !it->is_symlink()) continue;
    if (!c.in_orig.count(rel) && !c.targets.count(rel)) c.differs.insert(rel);
  }
}

struct UpstreamChanges {
  std::vector<std::string> changed, removed;
  std::string top_dir;
};

// The files of the tree that differ from the orig + the series patches, as
// dpkg-source's auto-patch check finds them. Only the files the patches
// touch are extracted and patched (in a scratch directory); every other file
// is compared with the tarball as it streams by.
//
// `patched` is called once the orig has been streamed, before anything the
// patches touch in the tree is read: the tree's own patches may be applied
// concurrently until then (the streamed files are the ones no patch touches).
// `fresh_push`: `patched` applies the whole series to a tree that had none
// of it applied; then nothing is patched a second time (compare_backups).
UpstreamChanges upstream_changes(const std::string& dir, const std::string& orig,
                                 const std::vector<std::string>& components, const std::function<void()>& patched,
                                 bool fresh_push) {
  Series series = read_series(dir);
  Comparison c{dir, components, {}, {}, {}, {}, {}, {}, {}};
  collect_targets(c, series);
  std::optional<TempDir> scratch(std::in_place, "hapkg-build");
  if (!stream_orig(c, orig, scratch->path(), fresh_push, true)) {  // no common top directory: the content is the tree
    c.reset_results();
    scratch.emplace("hapkg-build");
    stream_orig(c, orig, scratch->path(), fresh_push, false);
  }
  if (fresh_push) {
    patched();
    compare_backups(c);
  } else {
    apply_plain(scratch->path(), dir + "/debian/patches", series.patches);
    patched();
    compare_scratch(c, scratch->path());
  }
  scratch.reset();
  add_untracked(c);
  return {{c.differs.begin(), c.differs.end()}, c.removed, c.top};
}

// A scratch tree with the orig's version of `wanted` plus the series
// patches applied: the reference the auto-patch is diffed against.
std::unique_ptr<TempDir> reference_tree(const std::string& dir, const std::string& orig, const std::string& top,
                                        const std::set<std::string>& wanted) {
  auto ref = std::make_unique<TempDir>("hapkg-autopatch");
  read_orig(orig, [&](const OrigEntry& e, const std::function<std::string()>& data) {
    std::string rel = e.path;
    if (!top.empty()) {
      if (rel == top || rel.rfind(top + "/", 0) != 0) return;
      rel = rel.substr(top.size() + 1);
    }
    if (!wanted.count(rel) || (e.type != '0' && e.type != '2')) return;
    extract_entry(ref->path(), rel, e, e.type == '2' ? e.link : data());
  });
  apply_plain(ref->path(), dir + "/debian/patches", read_series(dir).patches);
  return ref;
}

// --auto-commit: records the upstream changes as
// debian/patches/debian-changes-<version> (applied). Returns its path, or
// "" when the diff turned out empty.
std::string record_autopatch(const Plan& p, const Origs& o, const UpstreamChanges& u) {
  std::string name = "debian-changes-" + p.version;
  Series series = read_series(p.dir);
  for (const auto& e : series.patches)
    if (e.name == name)
      throw InputError(series.path, e.line, "the auto-patch " + name + " is already in the series; refresh it instead");
  std::set<std::string> wanted(u.changed.begin(), u.changed.end());
  for (const auto& e : series.patches)
    for (const auto& t : patch_targets(read_file(p.dir + "/debian/patches/" + e.name), e.name)) wanted.insert(t);
  std::unique_ptr<TempDir> ref = reference_tree(p.dir, p.parent + "/" + o.main, u.top_dir, wanted);
  std::string diff = diff_files(ref->path(), p.dir, u.changed, p.src + "-" + p.upver);
  if (diff.empty()) return "";
  std::vector<std::string> recorded;
  for (const auto& f : u.changed)
    if (::access((p.dir + "/" + f).c_str(), F_OK) == 0) recorded.push_back(f);
  register_autopatch(p.dir, name, autopatch_header(p.dir, p.top, std::time(nullptr)) + diff, ref->path(), recorded);
  return p.dir + "/debian/patches/" + name;
}

void refuse_upstream_changes(const Plan& p, const std::vector<std::string>& changed) {
  if (changed.empty()) return;
  std::string list;
  for (size_t i = 0; i < changed.size() && i < 20; ++i) list += (i ? ", " : "") + changed[i];
  if (changed.size() > 20) list += ", ... (" + std::to_string(changed.size()) + " files)";
  throw InputError(p.dir + ": aborting due to unexpected upstream changes (not in the orig tarball or a patch): " +
                   list + "; record them as a patch first");
}

// The build's outputs, written under temporary names and renamed together
// only once everything has succeeded: a failed build leaves nothing.
class Outputs {
 public:
  explicit Outputs(std::string parent) : parent_(std::move(parent)) {}
  void add(const std::string& name, const std::string& data) {
    files_.push_back(std::make_unique<AtomicFile>(parent_ + "/" + name));
    files_.back()->write(data);
    names_.push_back(parent_ + "/" + name);
  }
  void commit() {
    size_t done = 0;
    try {
      for (; done < files_.size(); ++done) files_[done]->commit();
    } catch (...) {
      for (size_t i = 0; i < done; ++i) ::unlink(names_[i].c_str());
      throw;
    }
  }

 private:
  std::string parent_;
  std::vector<std::unique_ptr<AtomicFile>> files_;
  std::vector<std::string> names_;
};

// 3.0 (quilt): the tree's patches are applied, then the debian tarball made,
// while the orig is compared (2 cores); the tarball is kept only once the
// tree is known to be clean. On failure what this build applied is
// unapplied again. Fills `digests` (the origs) and `result`.
std::string quilt_debian_tarball(const Plan& p, const Origs& o, const BuildOptions& options,
                                 std::vector<deb::FileHashes>& digests, BuildResult& result) {
  TarOptions to = debian_tar_options(p);
  std::vector<std::string> unknown = unlisted_binaries(p, to, options.include_binaries);
  // The main orig is hashed on another core while it is streamed and
  // compared here (validated by that same read).
  const std::string main_path = p.parent + "/" + o.main;
  std::future<deb::FileHashes> main_digest = std::async(std::launch::async, [&] { return deb::hash_file(main_path); });
  std::string debian_xz;
  const bool fresh_push = options.apply_patches && applied_patches(p.dir).empty();
  std::future<std::vector<std::string>> push = std::async(std::launch::async, [&] {
    std::vector<std::string> applied = options.apply_patches ? push_all(p.dir) : std::vector<std::string>{};
    try {
      debian_xz = xz_compress(make_tar(to));
    } catch (...) {
      pop_top(p.dir, applied.size());
      throw;
    }
    return applied;
  });
  auto wait_push = [&] {
    if (push.valid()) result.applied = push.get();
  };
  try {
    for (const auto& n : o.listed) {
      if (n == o.main) digests.emplace_back();
      else {
        if (!is_signature(n)) validate_orig(p.parent + "/" + n);
        digests.push_back(deb::hash_file(p.parent + "/" + n));
      }
      result.files.push_back(p.parent + "/" + n);
    }
    UpstreamChanges u = upstream_changes(p.dir, main_path, o.components, wait_push, fresh_push);
    for (const auto& r : u.removed)
      spdlog::warn("ignoring deletion of file {} (dpkg-source's --include-removal; hapkg never records deletions)", r);
    bool retar = false;
    if (!u.changed.empty() && options.auto_commit) {
      wait_push();
      result.auto_patch = record_autopatch(p, o, u);
      if (!result.auto_patch.empty()) result.applied.push_back(fs::path(result.auto_patch).filename().string());
      retar = true;  // the debian tarball now holds the new patch
      u.changed.clear();
    }
    refuse_upstream_changes(p, u.changed);
    wait_push();
    if (!unknown.empty()) {  // --include-binaries: listed, as dpkg-source does after its checks
      add_allowed_binaries(p.dir, unknown);
      retar = true;
    }
    if (retar) debian_xz = xz_compress(make_tar(to));
    deb::FileHashes main = main_digest.get();
    for (size_t i = 0; i < o.listed.size(); ++i)
      if (o.listed[i] == o.main) digests[i] = main;
  } catch (...) {
    try {
      wait_push();  // a failing push_all has already undone its own work
    } catch (...) {
    }
    try {
      if (main_digest.valid()) main_digest.get();
    } catch (...) {
    }
    pop_top(p.dir, result.applied.size());
    throw;
  }
  return debian_xz;
}

}  // namespace

BuildResult build_source(const std::string& dir, const BuildOptions& options) {
  Plan p = plan_build(dir);
  BuildResult result;
  std::vector<deb::FileHashes> digests;
  Outputs outputs(p.parent);
  std::string tarball_name, tarball;
  if (p.native) {
    TarOptions to;
    to.base = p.parent;
    to.roots = {base_name(dir)};
    to.excludes = default_tar_excludes();
    to.clamp_mtime = p.sde;
    tarball_name = p.src + "_" + p.noepoch + ".tar.xz";
    tarball = xz_compress(make_tar(to));
  } else {
    Origs o = find_origs(p);
    tarball_name = p.src + "_" + p.noepoch + ".debian.tar.xz";
    tarball = quilt_debian_tarball(p, o, options, digests, result);
  }
  digests.push_back(deb::hash_data(tarball_name, tarball));
  result.files.push_back(p.parent + "/" + tarball_name);
  p.dsc.set("Checksums-Sha1", deb::checksums_sha1(digests));
  p.dsc.set("Checksums-Sha256", deb::checksums_sha256(digests));
  p.dsc.set("Files", deb::files_md5(digests));
  std::string dsc_name = p.src + "_" + p.noepoch + ".dsc";
  result.dsc = p.parent + "/" + dsc_name;
  try {
    outputs.add(tarball_name, tarball);
    outputs.add(dsc_name, deb::render_paragraph(p.dsc, deb::Deb822Kind::kDsc, true, deb::FieldOrder::kCanonical));
    outputs.commit();
  } catch (...) {
    pop_top(p.dir, result.applied.size());
    throw;
  }
  return result;
}

}  // namespace hapkg::source
