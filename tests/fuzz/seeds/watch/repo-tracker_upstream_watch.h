// debian/watch version 4 as uscan reads it (Devscripts::Uscan::WatchFile
// and WatchLine): continuation lines, comments, opts="...", the
// @PACKAGE@/@ANY_VERSION@/... substitutions and the per-line options.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hapkg::tracker {

inline constexpr const char* kAnyVersion = R"((?:[-_]?v?(\d[\-+\.:\~\da-zA-Z]*)))";
inline constexpr const char* kArchiveExt = R"((?i)(?:\.(?:tar\.xz|tar\.bz2|tar\.gz|tar\.zstd?|zip|tgz|tbz|txz)))";
inline constexpr const char* kDebExt = R"((?:[\+~](debian|dfsg|ds|deb)(\.)?(\d+)?$))";

struct WatchLine {
  std::string file;       // the watch file, for messages
  std::size_t line = 0;   // where the watch line starts
  std::string text;       // the reassembled line after substitutions
  std::string mode = "LWP";       // LWP (http), git
  std::string searchmode = "html";
  std::string pgpmode = "default";
  std::string component;
  std::string hrefdecode;
  std::string gitmode = "shallow";         // mode=git: shallow or full clone (versionless HEAD/heads/)
  std::string pretty = "0.0~git%cd.%h";    // mode=git versionless: git log --pretty, or "describe"
  std::string date = "%Y%m%d";             // mode=git versionless: --date=format-local:
  bool versionless() const { return mode == "git" && (filepattern == "HEAD" || filepattern.rfind("heads/", 0) == 0); }
  std::vector<std::string> uversionmangle, dversionmangle, filenamemangle, downloadurlmangle, pagemangle,
      pgpsigurlmangle, dirversionmangle, oversionmangle;
  bool repack = false, decompress = false, bare = false;
  std::string base;         // URL (or git repository)
  std::string filepattern;  // the regex matched against hrefs or tags
  std::string lastversion;  // "" / debian / ignore / same / previous / a version
  std::string action;       // e.g. uupdate
  std::vector<std::string> warnings;  // unrecognised options, as uscan warns
};

struct WatchFile {
  std::string file;
  int version = 0;
  std::vector<WatchLine> lines;
};

// Parses the text of a watch file for source package `package`. Throws
// InputError("file:line: problem") for what uscan refuses (no version=
// line, version other than 3/4, a trailing backslash, malformed opts, a
// pattern without a capture group, a bad regex or mangle rule).
WatchFile parse_watch(const std::string& text, const std::string& file, const std::string& package);
// Reads version 3/4, or version 5 (deb822: "Version: 5" paragraph, then one
// paragraph per source with Source, Matching-Pattern and the options as
// fields; Untrackable paragraphs are skipped; templates are not supported).
WatchFile read_watch(const std::string& path, const std::string& package);

}  // namespace hapkg::tracker
