#include "source/build.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <regex>

#include "deb/source_tree.h"
#include "deb/version.h"
#include "source/checksums.h"
#include "source/debian_tar.h"
#include "source/orig.h"
#include "source/quilt.h"
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
    std::string name = src + "_" + noepoch + ".tar.xz";
    std::string data = xz_compress(make_tar(to));
    write_file_atomic(parent + "/" + name, data);
    digests.push_back(digest_data(name, data));
    result.files.push_back(parent + "/" + name);
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
    for (const auto& n : listed) {
      if (n.size() < 4 || n.compare(n.size() - 4, 4, ".asc") != 0) validate_orig(parent + "/" + n);
      digests.push_back(digest_file(parent + "/" + n));
      result.files.push_back(parent + "/" + n);
    }
    if (options.apply_patches) result.applied = push_all(dir);

    TarOptions to;
    to.base = dir;
    to.roots = {"debian"};
    to.excludes = excludes;
    for (const char* f : {"debian/source/local-options", "debian/source/local-patch-header", "debian/files",
                          "debian/files.new", "debian/patches/.dpkg-source-applied"})
      to.excludes.emplace_back(f);
    to.clamp_mtime = sde;
    std::string name = src + "_" + noepoch + ".debian.tar.xz";
    std::string data = xz_compress(make_tar(to));
    write_file_atomic(parent + "/" + name, data);
    digests.push_back(digest_data(name, data));
    result.files.push_back(parent + "/" + name);
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
