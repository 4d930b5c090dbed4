// debian/changelog: parsed with dpkg's header/trailer rules
// (Dpkg/Changelog/Debian.pm), rendered back byte for byte, extended like
// dch -i / dch -v VER -D DIST.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <vector>

namespace hapkg::deb {

struct ChangelogEntry {
  std::string source;
  std::string version;
  std::vector<std::string> distributions;
  std::vector<std::pair<std::string, std::string>> options;  // key=value after ';', as written
  std::string maintainer;  // "Name <email>"
  std::string date;        // "Wed, 25 Nov 2026 00:35:05 +0000"
  std::vector<std::string> changes;  // change lines (and blank lines between them), no newline
  std::string raw;         // every byte of the entry, from its header through the blank lines after the trailer
  std::size_t line = 0;    // line number of the header

  std::string distribution() const;  // space-joined, as dpkg-parsechangelog prints it
  std::string urgency() const;       // lower-cased, without a trailing comment, as dpkg prints it
  std::int64_t timestamp() const;    // seconds since the epoch (SOURCE_DATE_EPOCH)
  // Bug numbers as dpkg finds them over the joined change lines (a match
  // may span lines), unique and sorted numerically.
  std::vector<std::string> closes() const;          // Debian bugs (Closes: #N)
  std::vector<std::string> launchpad_bugs() const;  // Launchpad bugs (LP: #N)
  // The dpkg-parsechangelog "Changes" value: "\n<header>\n\n<changes...>".
  std::string dpkg_changes() const;
};

struct Changelog {
  std::string filename;
  std::string leading;  // lines before the first entry (comments)
  std::vector<ChangelogEntry> entries;
  std::string tail;     // old-format or editor-variable tail, verbatim
};

// Strict: where dpkg-parsechangelog would warn, this throws
// InputError("file:line: problem") naming the first offending line.
Changelog parse_changelog(const std::string& text, const std::string& filename);
Changelog read_changelog(const std::string& path);  // also reads .gz
// The bytes of a changelog file, decompressed when it ends in .gz.
std::string read_changelog_text(const std::string& path);
std::string render_changelog(const Changelog& changelog);

struct NewEntry {
  std::string version;        // empty: increment like dch -i
  std::string distribution;   // empty: UNRELEASED (or the merged entry's)
  std::string urgency;        // empty: medium (or the merged entry's)
  std::vector<std::string> changes;  // one item each, rendered "  * item"
  std::string maintainer;     // empty: from DEBFULLNAME/DEBEMAIL (or NAME/EMAIL)
  std::time_t when = 0;       // 0: now
  bool ubuntu = false;        // dch --vendor Ubuntu: ubuntuN numbering
  // dch's default DEBCHANGE_RELEASE_HEURISTIC=changelog: when the top entry
  // is UNRELEASED, -i/-v rewrite it (new version, changes appended, trailer
  // refreshed, "[ Name ]" groups when someone else wrote it) instead of
  // adding an entry. false: always add an entry.
  bool merge_unreleased = true;
  // dch -b (--force-bad-version): allow a version below the top entry's,
  // as a backport's ~SERIES.N upload of the new release's packaging is.
  bool allow_lower = false;
};

// Adds an entry on top, or extends an UNRELEASED top entry (see
// merge_unreleased); returns the new version. Throws InputError when the
// version is invalid or not greater than the previous (released) one.
// Non-maintainer-upload numbering (dch's 1.0-1.1) is not done.
std::string add_changelog_entry(Changelog& changelog, const NewEntry& entry);

// RFC 2822 date as dch writes it: "Wed, 25 Nov 2026 00:35:05 +0000" (UTC
// unless TZ says otherwise).
std::string rfc2822_date(std::time_t when);

}  // namespace hapkg::deb
