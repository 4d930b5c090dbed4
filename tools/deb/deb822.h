// deb822 control-style files (debian/control, .dsc, .changes, Packages,
// Sources, Release, dpkg status). Fields are parsed by libapt-pkg's
// pkgTagSection; a line pass beside it keeps what apt drops (comments in
// debian/control, exact bytes, line numbers for error messages), so files
// render back byte for byte, or in the canonical field order of their kind.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hapkg::deb {

enum class Deb822Kind { kGeneric, kControl, kDsc, kChanges, kPackages, kSources, kRelease };

struct Field {
  std::string name;
  std::string value;   // as apt's FindS gives it: leading/trailing blanks trimmed, continuation lines kept
  std::string raw;     // the exact bytes, "Name: ..." through the final newline, interior comments included
  std::vector<std::string> comments_before;  // "#..." lines (with newline) just above the field
  std::size_t line = 0;
};

struct Paragraph {
  std::vector<Field> fields;
  std::vector<std::string> trailing_comments;  // comments after the last field
  std::string separator;                       // the blank line(s) that follow, verbatim
  std::size_t line = 0;

  const Field* find(std::string_view name) const;  // case-insensitive, as in deb822
  std::string get(std::string_view name, std::string_view fallback = "") const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Sets a field (replacing it in place, or appending it); the value may be
  // multi-line ("first\n second").
  void set(std::string_view name, std::string_view value);
  void remove(std::string_view name);
};

struct Deb822 {
  std::string filename;
  std::string leading;  // blank lines before the first paragraph
  std::vector<Paragraph> paragraphs;
};

// Parses text; errors are InputError "file:line: problem". Comment lines are
// accepted only for kControl (as dpkg does in debian/control). A clearsigned
// file (.dsc, .changes, InRelease) must be unwrapped first: see read_deb822.
Deb822 parse_deb822(std::string_view text, const std::string& filename, Deb822Kind kind);

// Reads a file, decompressing .gz/.xz/.bz2/.lz4/.zst through apt's FileFd and
// stripping an OpenPGP clearsign envelope, then parses it.
Deb822 read_deb822(const std::string& path, Deb822Kind kind);
// The text read_deb822 parses: decompressed, clearsign envelope removed.
std::string read_deb822_text(const std::string& path);

enum class FieldOrder { kAsIs, kCanonical };

// kAsIs reproduces the parsed bytes exactly. kCanonical sorts each
// paragraph's fields in dpkg's order for the kind (apt's for Packages and
// Sources indices); unknown fields follow in their original order.
std::string render_deb822(const Deb822& doc, Deb822Kind kind, FieldOrder order = FieldOrder::kAsIs);

// Turns a multi-line value into deb822 continuation form as dpkg writes it:
// every line after the first gets a leading space and loses its trailing
// blanks, empty lines become " .", a dots-only line gets one more dot,
// trailing empty lines are dropped.
std::string fold_value(std::string_view value);

// Renders one paragraph's fields (no separator) in the given order.
std::string render_paragraph(const Paragraph& p, Deb822Kind kind, bool first_paragraph, FieldOrder order);

}  // namespace hapkg::deb
