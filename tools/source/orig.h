// Upstream (orig) tarballs: reading them safely, and producing
// <src>_<upver>.orig.tar.{gz,xz} from a release tarball or a git tag with
// deterministic bytes.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hapkg::source {

struct OrigEntry {
  std::string path;  // as stored, without a leading "./"
  char type = '0';   // '0' file, '5' directory, '2' symlink, '1' hard link
  unsigned mode = 0;
  std::string link;  // symlink or hard-link target
};

// Reads every entry; `on_entry` gets the entry and a function reading its
// data. Refuses (InputError naming the tarball) corrupt or truncated
// archives, absolute names, ".." components, symlinks or hard links that
// point outside the archive, and device files.
void read_orig(const std::string& tarball,
               const std::function<void(const OrigEntry&, const std::function<std::string()>&)>& on_entry);

// Validates and returns the entry names.
std::vector<std::string> validate_orig(const std::string& tarball);

// The common top directory of the entries ("" when there is none).
std::string common_top_dir(const std::vector<std::string>& names);

struct OrigRequest {
  std::string source, upstream_version;
  std::string outdir = "..";
  std::string compression = "xz";  // for repacks and git: gz or xz
};

// Copies a release tarball to <src>_<upver>.orig.tar.<its ext> unchanged
// (after validating it), or with `repack` rewrites it with sorted entries,
// owner 0, prefix <src>-<upver>/, mtime clamped to the newest entry.
std::string orig_from_tarball(const OrigRequest& req, const std::string& tarball, bool repack);

// `git archive` of TAG from a local repository, prefix <src>-<upver>/,
// compressed deterministically (gzip -n, or xz -6).
std::string orig_from_git(const OrigRequest& req, const std::string& repo, const std::string& tag);

// Reuses an orig already published (byte for byte); refuses to replace a
// different file already present under that name.
std::string orig_reuse(const OrigRequest& req, const std::string& file);

}  // namespace hapkg::source
