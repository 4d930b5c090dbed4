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

// A field's value as dpkg's Dpkg::Control::HashCore parses it: the text
// after the colon on the first line (possibly empty), then "\n" + each
// continuation line without its first blank (a dots-only line loses one
// dot); comment lines are skipped. Rendered back with fold_value, it gives
// the bytes dpkg writes: "Name:" + " first line" when that is not empty.
std::string dpkg_field_value(const Field& field);

// Every run of white space holding a line break becomes one space, as
// dpkg-source merges Uploaders into one line.
std::string merge_lines(const std::string& value);

// A user field "X[SBC]*-Name" of debian/control meant for `target` ('S'
// .dsc, 'B' binary, 'C' .changes): "Name", else "" (field_transfer_single).
std::string user_field_for(const std::string& name, char target);

// The .dsc paragraph dpkg-source would write for this tree, in dpkg's
// field order, without Checksums-*/Files.
Paragraph dsc_fields(const SourceTree& tree);

}  // namespace hapkg::deb
