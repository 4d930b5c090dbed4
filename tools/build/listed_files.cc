#include "build/listed_files.h"

#include <sstream>

#include "deb/deb822.h"
#include "util/error.h"

namespace hapkg::build {

std::vector<std::string> listed_files(const std::string& path) {
  auto doc = deb::read_deb822(path, deb::Deb822Kind::kGeneric);
  if (doc.paragraphs.empty()) throw InputError(path, 0, "empty file");
  const auto* field = doc.paragraphs.front().find("Checksums-Sha256");
  if (!field) throw InputError(path, doc.paragraphs.front().line, "no Checksums-Sha256 field");
  std::vector<std::string> names;
  std::istringstream lines(field->value);
  std::size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    std::istringstream words(line);
    std::string sum, size, name, extra;
    if (!(words >> sum)) continue;  // the empty first line of the field
    if (!(words >> size >> name) || (words >> extra))
      throw InputError(path, field->line + n, "Checksums-Sha256 line is not '<sha256> <size> <name>'");
    if (name == "." || name == ".." || name.find('/') != std::string::npos)
      throw InputError(path, field->line + n, "file name '" + name + "' is not a plain name");
    names.push_back(name);
  }
  if (names.empty()) throw InputError(path, field->line, "Checksums-Sha256 lists no file");
  return names;
}

}  // namespace hapkg::build
