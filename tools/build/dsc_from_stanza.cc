#include "build/dsc_from_stanza.h"

#include <sstream>

#include "util/error.h"

namespace hapkg::build {
namespace {

// A Files/Checksums-* value without the line naming the .dsc itself.
std::string without_dsc_line(const std::string& value) {
  std::istringstream in(value);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line.size() >= 4 && line.compare(line.size() - 4, 4, ".dsc") == 0) continue;
    out += "\n " + line.substr(line.find_first_not_of(" \t"));
  }
  return out;
}

}  // namespace

std::string dsc_from_sources_stanza(const deb::Paragraph& stanza, const std::string& where) {
  for (const char* f : {"Package", "Version", "Format", "Files", "Checksums-Sha256", "Maintainer"})
    if (!stanza.has(f)) throw InputError(where, stanza.line, std::string("Sources stanza has no ") + f + " field");
  deb::Paragraph dsc;
  for (const auto& f : stanza.fields) {
    if (f.name == "Directory" || f.name == "Priority" || f.name == "Section") continue;
    std::string name = f.name == "Package" ? "Source" : f.name;
    bool checksums = f.name == "Files" || f.name.rfind("Checksums-", 0) == 0;
    // A value that starts on the next line (Package-List) keeps that form.
    auto colon = f.raw.find(':');
    bool starts_below = f.raw.find_first_not_of(" \t", colon + 1) == f.raw.find('\n');
    dsc.set(name, checksums ? without_dsc_line(f.value) : (starts_below ? "\n " : "") + f.value);
  }
  deb::Deb822 doc;
  doc.filename = where;
  doc.paragraphs.push_back(dsc);
  return deb::render_deb822(doc, deb::Deb822Kind::kDsc, deb::FieldOrder::kCanonical);
}

}  // namespace hapkg::build
