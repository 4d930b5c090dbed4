// A local apt repository ("our PPA stand-in"): pool/, dists/, and a small
// database under db/ holding the index stanzas of every included package.
// Layout and index stanzas follow apt-ftparchive / reprepro.
#pragma once

#include <string>
#include <vector>

#include "deb/deb822.h"

namespace hapkg::archive {

struct SuiteConfig {
  std::string suite;
  std::string codename;
  std::string origin = "hapkg";
  std::string label = "hapkg";
  std::string description;
  std::vector<std::string> components{"main"};
  std::vector<std::string> architectures;  // binary architectures (not "all", not "source")
};

// conf/distributions: one deb822 paragraph per suite.
std::vector<SuiteConfig> read_config(const std::string& dir);
void write_config(const std::string& dir, const std::vector<SuiteConfig>& suites);
// The suite named `name` (Suite or Codename); InputError if unknown.
const SuiteConfig& find_suite(const std::vector<SuiteConfig>& suites, const std::string& name);

// Creates (or extends) the repository with one suite. Refuses an unknown
// architecture name.
void init_archive(const std::string& dir, const SuiteConfig& suite);

// InputError unless dpkg-architecture -L knows `arch`.
void check_architecture(const std::string& arch);

// pool/<component>/<prefix>/<source>/ as apt-ftparchive and reprepro lay it out.
std::string pool_dir(const std::string& component, const std::string& source);

// One index entry as kept in db/<suite>/<component>/{packages,sources}.
struct Entry {
  std::string kind;  // "deb" or "dsc"
  std::string package, version, architecture;
  deb::Paragraph stanza;  // the Packages or Sources stanza
};

struct IncludeResult {
  std::vector<std::string> added;      // "name version arch"
  std::vector<std::string> unchanged;  // same content was already there
};

// Includes .deb, .dsc and .changes files into `suite`. Every checksum a
// .changes or .dsc lists is verified before anything is copied; an existing
// version with different content is refused (InputError); the same content
// again is a no-op. `component` empty: from the Section ("contrib/net") or
// the suite's first component.
IncludeResult include_files(const std::string& dir, const std::string& suite, const std::string& component,
                            const std::vector<std::string>& files);


std::vector<Entry> list_entries(const std::string& dir, const std::string& suite);

struct ExportOptions {
  std::string sign_key;  // empty: unsigned (a stale InRelease/Release.gpg is deleted)
};
// Writes every index of every suite to temp files, renames them, Release
// (and InRelease/Release.gpg) last; then, when a cleanup is pending, deletes
// the pool files no suite references any more (delete_unreferenced).
// Returns those files.
std::vector<std::string> export_archive(const std::string& dir, const ExportOptions& options);

// Deletes every file under pool/ that no suite/component of the database
// references (reprepro's deleteunreferenced), and pool directories left
// empty. Only called once the indices no longer name them, so a crash never
// leaves an index naming a missing file. Returns the deleted paths (relative
// to `dir`), sorted.
std::vector<std::string> delete_unreferenced(const std::string& dir);

// db/cleanup-pending: set when an include replaces a version or a remove
// drops one (before the database changes), cleared by export once
// delete_unreferenced has run. Export walks the pool only when it is set.
void mark_cleanup_pending(const std::string& dir);
bool cleanup_pending(const std::string& dir);
void clear_cleanup_pending(const std::string& dir);

struct RemoveResult {
  std::vector<std::string> removed;  // "name version arch"
  std::vector<std::string> deleted;  // pool files no suite references any more
};
// Removes packages (binary or source names) from a suite's database, then
// exports (indices first) and deletes the pool files no longer referenced.
RemoveResult remove_packages(const std::string& dir, const std::string& suite, const std::vector<std::string>& names,
                             const ExportOptions& options);

}  // namespace hapkg::archive
