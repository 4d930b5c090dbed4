#include "source/build.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <cstdlib>
#include <memory>
#include <regex>
#include <map>
#include <set>
#include <filesystem>
#include <functional>
#include <future>
#include <unistd.h>

#include "deb/source_tree.h"
#include "deb/version.h"
#include "source/autopatch.h"
#include "source/binary_files.h"
#include "source/checksums.h"
#include "source/debian_tar.h"
#include "source/diff_ignore.h"
#include "source/orig.h"
#include "patch/quilt.h"
#include "source/tree_compare.h"
#include "util/error.h"
#include "util/file.h"
#include "util/log.h"

namespace hapkg::source {
namespace {

std::vector<std::string> list_dir(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) throw_errno("opendir " + dir);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d.get())) names.emplace_back(e->d_name);
  std::sort(names.begin(), names.end());
  return names;
}

std::string parent_of(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  size_t slash = d.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : d.substr(0, slash);
}

std::string base_of(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  size_t slash = d.rfind('/');
  return slash == std::string::npos ? d : d.substr(slash + 1);
}

bool ignored(const std::string& rel) {
  // dpkg's default diff-ignore regex, plus debian/ and .pc (V2.pm).
  return rel == "debian" || rel.rfind("debian/", 0) == 0 || rel == ".pc" || rel.rfind(".pc/", 0) == 0 ||
         default_diff_ignored(rel);
}

bool same_content(const std::string& path, const std::string& data) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) != data.size())
    return false;
  return read_file(path, false) == data;
}

// The files of the tree that differ from the orig + the series patches, as
// dpkg-source's auto-patch check finds them. Only the files the patches
// touch are extracted and patched (in a scratch directory); every other file
// is compared with the tarball as it streams by.
//
// `patched` is called once the orig has been streamed, before anything the
// patches touch in the tree is read: the tree's own patches may be applied
// concurrently until then (the streamed files are the ones no patch touches).
//
// `fresh_push`: `patched` applies the whole series to a tree that had none
// of it applied. Then nothing is patched a second time: GNU patch is
// deterministic, so the tree's patched files equal orig + patches exactly
// when the tree's files before the push (the backups in .pc/<first patch
// touching the file>/) equal the orig's; those are compared instead.
std::vector<std::string> upstream_changes(const std::string& dir, const std::string& orig,
                                          const std::vector<std::string>& components,
                                          const std::function<void()>& patched, bool fresh_push,
                                          std::vector<std::string>& removed, std::string& top_dir) {
  Series series = read_series(dir);
  std::set<std::string> targets;
  std::map<std::string, std::string> first_patch;  // target -> first series patch touching it
  for (const auto& e : series.patches) {
    std::string path = dir + "/debian/patches/" + e.name;
    if (::access(path.c_str(), F_OK) != 0) throw InputError(series.path, e.line, "patch file " + path + " is missing");
    for (const auto& t : patch_targets(read_file(path), path)) {
      targets.insert(t);
      first_patch.emplace(t, e.name);
    }
  }
  // fresh_push: the orig's version of each target (type '0' or '2', content).
  std::map<std::string, std::pair<char, std::string>> orig_targets;
  // One pass: the top directory is guessed from the first entry and checked
  // at the end; a tarball without a single top directory is read again.
  std::string top;
  bool first = true, single_top = true;
  size_t entries = 0;
  std::string tmpl = "/tmp/hapkg-build-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw_errno("mkdtemp");
  std::string scratch = tmpl;
  std::set<std::string> in_orig, differs;
  std::unique_ptr<TreeComparer> comparer;  // the files no patch touches, on a second thread
  auto under_component = [&](const std::string& rel) {
    for (const auto& c : components)
      if (rel == c || rel.rfind(c + "/", 0) == 0) return true;
    return false;
  };
  try {
    auto on_entry = [&](const OrigEntry& e, const std::function<std::string()>& data) {
      ++entries;
      if (first) top = e.path.substr(0, e.path.find('/'));
      first = false;
      if (!top.empty() && e.path != top && e.path.rfind(top + "/", 0) != 0) single_top = false;
      if (!single_top) return;
      std::string rel = e.path;
      if (!top.empty()) rel = rel == top ? "" : rel.substr(top.size() + 1);
      if (rel.empty() || under_component(rel) || e.type == '5') return;
      // An ignored file a patch edits (.gitignore in resource-agents) is
      // still needed to apply the series (h-source has the same fix).
      if (ignored(rel) && !targets.count(rel)) return;
      if (!ignored(rel)) in_orig.insert(rel);
      std::string content = e.type == '2' ? e.link : data();
      if (e.type == '1') return;  // hard links: content checked through their target
      if (targets.count(rel)) {
        if (fresh_push) {
          orig_targets[rel] = {e.type, std::move(content)};
          return;
        }
        std::string dst = scratch + "/" + rel;
        std::filesystem::create_directories(std::filesystem::path(dst).parent_path());
        if (e.type == '2') {
          if (::symlink(content.c_str(), dst.c_str()) != 0) throw_errno("symlink " + dst);
        } else {
          write_file_atomic(dst, content, static_cast<int>(e.mode & 0777));
        }
        return;
      }
      comparer->add(rel, e.type, std::move(content));
    };
    comparer = std::make_unique<TreeComparer>(dir);
    read_orig(orig, on_entry);
    comparer->finish();
    if (!single_top || entries == 1) {  // no common top directory: the content is the tree
      in_orig.clear();
      differs.clear();
      orig_targets.clear();
      removed.clear();
      std::filesystem::remove_all(scratch);
      std::filesystem::create_directory(scratch);
      top.clear();
      first = false;
      single_top = true;
      comparer = std::make_unique<TreeComparer>(dir);
      read_orig(orig, on_entry);
      comparer->finish();
    }
    differs.insert(comparer->differs.begin(), comparer->differs.end());
    removed.insert(removed.end(), comparer->removed.begin(), comparer->removed.end());
    if (fresh_push) {
      patched();
      for (const auto& t : targets) {
        if (ignored(t)) continue;
        std::string backup = dir + "/.pc/" + first_patch[t] + "/" + t;
        struct stat sb;
        bool before = ::lstat(backup.c_str(), &sb) == 0;
        auto o = orig_targets.find(t);
        bool same;
        if (!before) same = false;  // GNU patch -b backs up every file it patches, even new ones (empty)
        else if (o == orig_targets.end()) same = S_ISREG(sb.st_mode) && sb.st_size == 0;  // created by the series
        else if (o->second.first == '2') {
          char buf[4096];
          ssize_t n = S_ISLNK(sb.st_mode) ? ::readlink(backup.c_str(), buf, sizeof buf) : -1;
          same = n >= 0 && std::string(buf, static_cast<size_t>(n)) == o->second.second;
        } else {
          same = same_content(backup, o->second.second);
        }
        if (!same) differs.insert(t);
      }
    } else {
      apply_plain(scratch, dir + "/debian/patches", series.patches);
      patched();
      for (const auto& t : targets) {
        if (ignored(t)) continue;
        std::string a = scratch + "/" + t, b = dir + "/" + t;
        struct stat sa, sb;
        bool ea = ::lstat(a.c_str(), &sa) == 0, eb = ::lstat(b.c_str(), &sb) == 0;
        if (ea && !eb) removed.push_back(t);
        else if (ea != eb || (ea && !same_content(b, read_file(a, false)))) differs.insert(t);
      }
    }
  } catch (...) {
    std::filesystem::remove_all(scratch);
    throw;
  }
  std::filesystem::remove_all(scratch);
  top_dir = top;
  // Files in the tree that neither the orig nor a patch provides.
  for (auto it = std::filesystem::recursive_directory_iterator(dir); it != std::filesystem::recursive_directory_iterator(); ++it) {
    // The path as iterated is dir + "/" + rel (no canonicalisation: cheap).
    std::string rel = it->path().string().substr(dir.size() + (dir.back() == '/' ? 0 : 1));
    if (ignored(rel) || under_component(rel)) {
      if (it->is_directory() && !it->is_symlink()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory() && !it->is_symlink()) continue;
    if (!in_orig.count(rel) && !targets.count(rel)) differs.insert(rel);
  }
  return {differs.begin(), differs.end()};
}

// A scratch tree with the orig's version of `wanted` plus the series
// patches applied: the reference the auto-patch is diffed against.
std::string reference_tree(const std::string& dir, const std::string& orig, const std::string& top,
                           const std::set<std::string>& wanted) {
  std::string tmpl = "/tmp/hapkg-autopatch-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw_errno("mkdtemp");
  try {
    read_orig(orig, [&](const OrigEntry& e, const std::function<std::string()>& data) {
      std::string rel = e.path;
      if (!top.empty()) {
        if (rel == top || rel.rfind(top + "/", 0) != 0) return;
        rel = rel.substr(top.size() + 1);
      }
      if (!wanted.count(rel) || (e.type != '0' && e.type != '2')) return;
      std::string dst = tmpl + "/" + rel;
      std::filesystem::create_directories(std::filesystem::path(dst).parent_path());
      if (e.type == '2') {
        if (::symlink(e.link.c_str(), dst.c_str()) != 0) throw_errno("symlink " + dst);
      } else {
        write_file_atomic(dst, data(), static_cast<int>(e.mode & 0777));
      }
    });
    apply_plain(tmpl, dir + "/debian/patches", read_series(dir).patches);
  } catch (...) {
    std::filesystem::remove_all(tmpl);
    throw;
  }
  return tmpl;
}

// Writes the tar.xz (atomically) and records it for the .dsc.
void write_tarball(const TarOptions& to, const std::string& parent, const std::string& name,
                   std::vector<FileDigest>& digests, std::vector<std::string>& files) {
  std::string data = xz_compress(make_tar(to));
  write_file_atomic(parent + "/" + name, data);
  digests.push_back(digest_data(name, data));
  files.push_back(parent + "/" + name);
}

}  // namespace

BuildResult build_source(const std::string& dir, const BuildOptions& options) {
  deb::SourceTree tree = deb::read_source_tree(dir);
  const deb::ChangelogEntry& top = tree.changelog.entries.front();
  std::string changelog = dir + "/debian/changelog";
  bool native = tree.format == "3.0 (native)";
  if (!native && tree.format != "3.0 (quilt)")
    throw InputError(dir + "/debian/source/format:1: format '" + tree.format +
                     "' is not supported (only 3.0 (quilt) and 3.0 (native))");
  const std::string& version = top.version;
  static const std::regex valid(R"([0-9][-+:.0-9a-zA-Z~]*)");
  if (!std::regex_match(version, valid)) throw InputError(changelog, top.line, "invalid version '" + version + "'");
  std::string noepoch = version.substr(version.find(':') == std::string::npos ? 0 : version.find(':') + 1);
  size_t dash = noepoch.rfind('-');
  if (!native && dash == std::string::npos)
    throw InputError(changelog, top.line, "non-native package version '" + version + "' does not contain a revision");
  if (native && dash != std::string::npos)
    throw InputError(changelog, top.line, "native package version '" + version + "' may not have a revision");
  std::string upver = noepoch.substr(0, dash);
  const std::string& src = top.source;

  std::int64_t sde = top.timestamp();
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) sde = std::strtoll(e, nullptr, 10);

  std::string parent = parent_of(dir);
  BuildResult result;
  std::vector<FileDigest> digests;
  std::vector<std::string> excludes = default_tar_excludes();
  if (native) {
    TarOptions to;
    to.base = parent;
    to.roots = {base_of(dir)};
    to.excludes = excludes;
    to.clamp_mtime = sde;
    write_tarball(to, parent, src + "_" + noepoch + ".tar.xz", digests, result.files);
  } else {
    // The orig tarball(s): exactly one main, any number of components.
    std::string prefix = src + "_" + upver + ".orig";
    std::vector<std::string> mains, others;
    static const std::regex orig_re(R"(\.orig(-[a-zA-Z0-9-]+)?\.tar\.(gz|bz2|lzma|xz)(\.asc)?$)");
    for (const auto& n : list_dir(parent)) {
      if (n.rfind(prefix, 0) != 0) continue;
      std::smatch m;
      std::string rest = n.substr(prefix.size() - 5);
      if (!std::regex_match(rest, m, orig_re)) continue;
      if (!m[1].matched && !m[3].matched) mains.push_back(n);
      else others.push_back(n);
    }
    if (mains.empty())
      throw InputError(parent + ": no orig tarball " + prefix + ".tar.{gz,bz2,lzma,xz} for " + dir);
    if (mains.size() > 1) throw InputError(parent + ": several orig tarballs found for " + prefix + "; only one is allowed");
    std::vector<std::string> listed = mains;
    listed.insert(listed.end(), others.begin(), others.end());
    std::sort(listed.begin(), listed.end());
    // dpkg lists tarballs before their signatures.
    std::stable_partition(listed.begin(), listed.end(),
                          [](const std::string& n) { return n.size() < 4 || n.compare(n.size() - 4, 4, ".asc") != 0; });
    // The main orig is hashed on another core while it is streamed and
    // compared here (validated by that same read).
    const std::string main_path = parent + "/" + mains[0];
    std::future<FileDigest> main_digest =
        std::async(std::launch::async, [&main_path] { return digest_file(main_path); });
    size_t main_index = 0;
    for (const auto& n : listed) {
      if (n == mains[0]) {
        main_index = digests.size();
        digests.emplace_back();
      } else {
        if (n.size() < 4 || n.compare(n.size() - 4, 4, ".asc") != 0) validate_orig(parent + "/" + n);
        digests.push_back(digest_file(parent + "/" + n));
      }
      result.files.push_back(parent + "/" + n);
    }
    TarOptions to;
    to.base = dir;
    to.roots = {"debian"};
    to.excludes = excludes;
    for (const char* f : {"debian/source/local-options", "debian/source/local-patch-header", "debian/files",
                          "debian/files.new", "debian/patches/.dpkg-source-applied"})
      to.excludes.emplace_back(f);
    to.clamp_mtime = sde;
    // Binary files in debian/ (checked first, as dpkg-source does).
    std::vector<std::string> unknown_binaries;
    {
      std::set<std::string> allowed = allowed_binaries(dir);
      for (const auto& b : debian_binary_files(dir, to.excludes))
        if (!allowed.count(b)) unknown_binaries.push_back(b);
    }
    if (!unknown_binaries.empty() && !options.include_binaries) {
      std::string list;
      for (const auto& b : unknown_binaries) list += (list.empty() ? "" : ", ") + b;
      throw InputError(dir + ": detected " + std::to_string(unknown_binaries.size()) + " unwanted binary file" +
                       (unknown_binaries.size() > 1 ? "s" : "") +
                       " (add them in debian/source/include-binaries to allow their inclusion): " + list);
    }
    // The tree's patches are applied, then the debian tarball made, while
    // the orig is compared (2 cores); the tarball is written only once the
    // tree is known to be clean.
    std::string debian_xz;
    const bool fresh_push = options.apply_patches && applied_patches(dir).empty();
    std::future<std::vector<std::string>> push = std::async(std::launch::async, [&] {
      std::vector<std::string> applied = options.apply_patches ? push_all(dir) : std::vector<std::string>{};
      try {
        debian_xz = xz_compress(make_tar(to));
      } catch (...) {
        pop_top(dir, applied.size());
        throw;
      }
      return applied;
    });
    auto wait_push = [&] {
      if (push.valid()) result.applied = push.get();
    };
    try {
    std::vector<std::string> components;
    for (const auto& n : others) {
      std::smatch m;
      static const std::regex comp_re(R"(\.orig-([a-zA-Z0-9-]+)\.tar\.)");
      if (std::regex_search(n, m, comp_re)) components.push_back(m[1].str());
    }
    std::vector<std::string> removed;
    std::string top_dir;
    bool retar = false;
    std::vector<std::string> changed = upstream_changes(dir, parent + "/" + mains[0], components, wait_push,
                                                        fresh_push, removed, top_dir);
    for (const auto& r : removed)
      spdlog::warn("ignoring deletion of file {}, use --include-removal to override", r);
    if (!changed.empty() && options.auto_commit) {
      wait_push();
      std::string name = "debian-changes-" + version;
      Series series = read_series(dir);
      for (const auto& e : series.patches)
        if (e.name == name)
          throw InputError(series.path, e.line, "the auto-patch " + name + " is already in the series; refresh it instead");
      std::set<std::string> wanted(changed.begin(), changed.end());
      for (const auto& e : series.patches)
        for (const auto& t : patch_targets(read_file(dir + "/debian/patches/" + e.name), e.name)) wanted.insert(t);
      std::string ref = reference_tree(dir, parent + "/" + mains[0], top_dir, wanted);
      try {
        std::string diff = diff_files(ref, dir, changed, src + "-" + upver);
        if (!diff.empty()) {
          std::vector<std::string> recorded;
          for (const auto& f : changed)
            if (::access((dir + "/" + f).c_str(), F_OK) == 0) recorded.push_back(f);
          register_autopatch(dir, name, autopatch_header(dir, top, std::time(nullptr)) + diff, ref, recorded);
          result.applied.push_back(name);
          result.auto_patch = dir + "/debian/patches/" + name;
        }
      } catch (...) {
        std::filesystem::remove_all(ref);
        throw;
      }
      std::filesystem::remove_all(ref);
      retar = true;  // the debian tarball now holds the new patch
      changed.clear();
    }
    if (!changed.empty()) {
      std::string list;
      for (size_t i = 0; i < changed.size() && i < 20; ++i) list += (i ? ", " : "") + changed[i];
      if (changed.size() > 20) list += ", ... (" + std::to_string(changed.size()) + " files)";
      throw InputError(dir + ": aborting due to unexpected upstream changes (not in the orig tarball or a patch): " +
                       list + "; record them as a patch first");
    }

    wait_push();
    if (!unknown_binaries.empty()) {  // --include-binaries: listed, as dpkg-source does after its checks
      add_allowed_binaries(dir, unknown_binaries);
      retar = true;
    }
    if (retar) debian_xz = xz_compress(make_tar(to));
    digests[main_index] = main_digest.get();
    std::string name = src + "_" + noepoch + ".debian.tar.xz";
    write_file_atomic(parent + "/" + name, debian_xz);
    digests.push_back(digest_data(name, debian_xz));
    result.files.push_back(parent + "/" + name);
    } catch (...) {
      // All or nothing: what this build applied is unapplied again (a
      // failing push_all has already undone its own work).
      try {
        wait_push();
      } catch (...) {
      }
      try {
        if (main_digest.valid()) main_digest.get();
      } catch (...) {
      }
      pop_top(dir, result.applied.size());
      throw;
    }
  }
  deb::Paragraph dsc = deb::dsc_fields(tree);
  dsc.set("Checksums-Sha1", checksums_sha1(digests));
  dsc.set("Checksums-Sha256", checksums_sha256(digests));
  dsc.set("Files", files_md5(digests));
  result.dsc = parent + "/" + src + "_" + noepoch + ".dsc";
  write_file_atomic(result.dsc, deb::render_paragraph(dsc, deb::Deb822Kind::kDsc, true, deb::FieldOrder::kCanonical));
  return result;
}

}  // namespace hapkg::source
