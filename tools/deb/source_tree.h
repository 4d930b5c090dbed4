// A Debian source tree as dpkg-source sees it: debian/changelog,
// debian/control and debian/source/format, and the .dsc fields derived
// from them (everything but the checksums of the files).
#pragma once

#include <string>

#include "deb/changelog.h"
#include "deb/deb822.h"

namespace hapkg::deb {

struct SourceTree {
  std::string dir;
  Changelog changelog;
  Deb822 control;
  std::string format;  // debian/source/format, "1.0" when absent
};

SourceTree read_source_tree(const std::string& dir);

// Build-Depends & co. in dpkg's normal form: one line, ", " between
// relations, " | " between alternatives, "pkg (>= 1.0) [arch] <profile>".
std::string normalize_relations(const std::string& value);

// The .dsc paragraph dpkg-source would write for this tree, in dpkg's
// field order, without Checksums-*/Files.
Paragraph dsc_fields(const SourceTree& tree);

}  // namespace hapkg::deb
