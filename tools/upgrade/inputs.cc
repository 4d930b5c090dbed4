#include "upgrade/inputs.h"

#include <filesystem>
#include <system_error>

#include "deb/apt_init.h"
#include "util/error.h"
#include "util/strings.h"

namespace hapkg::upgrade {
namespace {

// The list file name in apt's message after `lists_dir` ("" when none).
std::string list_file_named(const std::string& apt_errors, const std::string& lists_dir) {
  auto at = apt_errors.find(lists_dir);
  if (at == std::string::npos) return "";
  auto b = at + lists_dir.size(), e = b;
  while (e < apt_errors.size() && !is_space(apt_errors[e]) && apt_errors[e] != ';' && apt_errors[e] != ',') ++e;
  return apt_errors.substr(b, e - b);
}

// apt's message without its advice to run apt-get update, and without the
// sandbox's paths.
std::string scrub(std::string text, const std::string& lists_dir, const std::string& root_status,
                  const std::string& status_source) {
  for (const char* advice : {" - run apt-get update to correct", "You may want to run apt-get update to correct",
                             "; run apt-get update"}) {
    auto at = text.find(advice);
    if (at != std::string::npos) text.erase(at);
  }
  for (auto [from, to] : {std::pair{root_status, status_source}, std::pair{lists_dir, std::string("index ")}})
    for (auto at = text.find(from); !from.empty() && at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  return trim(text);
}

}  // namespace

void check_package_stanzas(const deb::Deb822& doc, bool need_status) {
  for (const auto& p : doc.paragraphs) {
    std::size_t line = p.fields.empty() ? p.line : p.fields.front().line;
    if (!p.has("Package"))
      throw InputError(doc.filename, line,
                       std::string("stanza without a Package: field (not a ") +
                           (need_status ? "dpkg status file" : "Packages index") + "?)");
    if (need_status && !p.has("Status"))
      throw InputError(doc.filename, line, "stanza without a Status: field (not a dpkg status file?)");
  }
}

std::string diagnose_index(const std::string& user_file, bool is_status) {
  std::string text;
  try {
    text = deb::read_apt_file(user_file);
  } catch (const InputError&) {
    return user_file + ": corrupt or truncated (cannot be decompressed or read)";
  }
  try {
    check_package_stanzas(deb::parse_deb822(text, user_file, deb::Deb822Kind::kGeneric), is_status);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string explain_unreadable_input(const std::string& lists_dir, const std::string& root_status,
                                     const std::string& status_source, const std::string& apt_errors) {
  std::string list = list_file_named(apt_errors, lists_dir);
  if (!list.empty()) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(lists_dir + list, ec);
    if (!ec) {
      std::string why = diagnose_index(target.string(), false);
      if (!why.empty()) return why;
      return target.string() + ": apt cannot read this index: " +
             first_line(scrub(apt_errors, lists_dir, root_status, status_source));
    }
  }
  if (!root_status.empty() && apt_errors.find(root_status) != std::string::npos) {
    std::string why = diagnose_index(root_status, true);
    if (!why.empty()) return status_source + why.substr(root_status.size());
  }
  if (list.empty()) {  // apt named no file (e.g. "lzma_read: Read error"): find the one that fails
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(lists_dir, ec)) {
      if (!e.is_symlink() || e.path().filename().string().find("_Packages") == std::string::npos) continue;
      auto target = std::filesystem::read_symlink(e.path(), ec);
      if (ec) continue;
      std::string why = diagnose_index(target.string(), false);
      if (!why.empty()) return why;
    }
  }
  return "cannot read the indices or status: " + scrub(apt_errors, lists_dir, root_status, status_source);
}

}  // namespace hapkg::upgrade
