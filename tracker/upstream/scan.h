// One uscan run over a watch file: find the newest upstream version on an
// HTTP index page (html or plain search) or among git tags, and compare it
// with the packaged one exactly as uscan does (Dpkg::Version on
// "1:<version>-0").
#pragma once

#include <string>
#include <vector>

#include "tracker/upstream/watch.h"

namespace hapkg::tracker {

struct Candidate {
  std::string version;  // uversionmangled
  std::string href;     // absolute URL, or the git ref
  std::string priority; // "<version>-<extension priority>", uscan's sort key
};

struct ScanResult {
  std::string package;
  std::string component;                // the watch line's component= ("" for the main tarball)
  std::string debian_uversion;          // upstream part of the changelog version (or the watch line's)
  std::string debian_mangled_uversion;  // after dversionmangle
  std::string upstream_version;         // newest found ("" when none)
  std::string upstream_url;
  std::string status;  // "newer package available", "up to date", "only older package available", "package available"
  std::vector<std::string> warnings;
  std::string error;   // "file:line: problem" when the line could not be processed
  // uscan skipped the line quietly (its status 1, no warning): a signature
  // line (pgpmode=previous / version `previous`) when not downloading.
  bool skipped = false;
  std::string file;
  std::size_t line = 0;
  bool newer() const { return status == "newer package available"; }
};

// The upstream part of a Debian version: no epoch, no revision.
std::string upstream_part(const std::string& debian_version);

// Sorts newest first like Devscripts::Versort::versort (stable).
void sort_candidates(std::vector<Candidate>& c);

// uscan's html_search over a page already fetched from `base_url`;
// versions go through `mangles` (uversionmangle, or dirversionmangle).
std::vector<Candidate> html_candidates(const WatchLine& w, std::string content, const std::string& base_url,
                                       const std::vector<std::string>& patterns, std::string& urlbase,
                                       const std::vector<std::string>& mangles);
// uscan's recursive_regex_dir: every directory component of the URL with
// parentheses becomes the newest matching directory on the server.
std::string resolve_directory_patterns(const WatchLine& w, const std::string& base);
// uscan's plain_search.
std::vector<Candidate> plain_candidates(const WatchLine& w, std::string content,
                                        const std::vector<std::string>& patterns);
// Candidates from `git ls-remote` output.
std::vector<Candidate> git_candidates(const WatchLine& w, const std::string& ls_remote);

// Scans one watch line (fetching pages / running git). Never throws for a
// problem with this line: the result carries `error`.
// `download_version` (uscan's shared download_version): for a line whose
// version field is `same`, the version the first line found; only a
// candidate with exactly that version is taken, and no status is set.
ScanResult scan_line(const WatchLine& w, const std::string& package, const std::string& debian_version,
                     const std::string* download_version = nullptr);

}  // namespace hapkg::tracker
