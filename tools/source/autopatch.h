// dpkg-source --auto-commit: the upstream changes of a tree recorded as the
// patch dpkg-source writes (V2.pm _generate_patch/_get_patch_header,
// Dpkg/Source/Patch.pm add_diff_directory, V3/Quilt.pm register_patch).
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "deb/changelog.h"

namespace hapkg::source {

// debian/source/local-patch-header, else debian/source/patch-header, else
// dpkg's DEP-3 template filled from the top changelog entry (with the
// Debian vendor's Bug-Debian/Bug-Ubuntu lines), dated `now` (UTC).
std::string autopatch_header(const std::string& tree, const deb::ChangelogEntry& top, std::time_t now);

// `diff -u -p` of every file in `files` (sorted by the caller): ref/<f>, or
// /dev/null when ref has none, against tree/<f>, labelled
// "<basedir>.orig/<f>" and "<basedir>/<f>" as dpkg-source does. Throws
// InputError for changes a patch cannot hold (binary files, symlinks).
std::string diff_files(const std::string& ref, const std::string& tree, const std::vector<std::string>& files,
                       const std::string& basedir);

// Writes tree/debian/patches/NAME, appends it to the series and marks it
// applied in .pc (backups of its files from `ref`, empty for new files).
void register_autopatch(const std::string& tree, const std::string& name, const std::string& text,
                        const std::string& ref, const std::vector<std::string>& files);

}  // namespace hapkg::source
