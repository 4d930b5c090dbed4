#include "deb/version.h"

#include <apt-pkg/debversion.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "util/error.h"
#include "util/strings.h"

namespace hapkg::deb {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }


}  // namespace

std::string Version::str() const {
  std::string out;
  if (has_epoch) out += epoch + ":";
  out += upstream;
  if (has_revision) out += "-" + revision;
  return out;
}

// Mirrors dpkg's lib/dpkg/parse.c parseversion(): the same checks in the same
// order, so the first problem reported is the one dpkg reports.
VersionCheck check_version(std::string_view text) {
  VersionCheck r;
  auto fail = [&](VersionCheck::Severity s, const char* why) {
    r.severity = s;
    r.problem = why;
    return r;
  };
  using S = VersionCheck::Severity;
  if (text.empty()) return fail(S::kError, "version string is empty");
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  size_t end = 0;
  while (end < text.size() && !is_blank(text[end])) ++end;
  for (size_t i = end; i < text.size(); ++i)
    if (!is_blank(text[i])) return fail(S::kError, "version string has embedded spaces");
  std::string_view v = text.substr(0, end);

  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::string head(v.substr(0, colon + 1));  // strtol stops at the colon
    errno = 0;
    char* stop = nullptr;
    long epoch = std::strtol(head.c_str(), &stop, 10);
    if (stop == head.c_str()) return fail(S::kError, "epoch in version is empty");
    if (stop != head.c_str() + colon) return fail(S::kError, "epoch in version is not number");
    if (epoch < 0) return fail(S::kError, "epoch in version is negative");
    if (epoch > INT_MAX || errno == ERANGE) return fail(S::kError, "epoch in version is too big");
    if (colon + 1 == v.size()) return fail(S::kError, "nothing after colon in version number");
    r.parts.has_epoch = true;
    r.parts.epoch = std::to_string(epoch);
    v.remove_prefix(colon + 1);
  }
  size_t hyphen = v.rfind('-');
  if (hyphen != std::string_view::npos) {
    if (hyphen + 1 == v.size()) return fail(S::kError, "revision number is empty");
    r.parts.has_revision = true;
    r.parts.revision = std::string(v.substr(hyphen + 1));
    v = v.substr(0, hyphen);
  }
  r.parts.upstream = std::string(v);
  if (v.empty()) return fail(S::kError, "upstream version is empty");
  if (!is_digit(v.front())) return fail(S::kWarning, "version number does not start with digit");
  for (char c : v)
    if (!is_digit(c) && !is_alpha(c) && !std::strchr(".-+~:", c))
      return fail(S::kWarning, "invalid character in version number");
  for (char c : r.parts.revision)
    if (!is_digit(c) && !is_alpha(c) && !std::strchr(".+~", c))
      return fail(S::kWarning, "invalid character in revision number");
  return r;
}

Version parse_version(std::string_view text, const std::string& where) {
  VersionCheck c = check_version(text);
  if (!c.ok()) {
    std::string prefix = where.empty() ? "" : where + ": ";
    throw InputError(prefix + "invalid version '" + std::string(text) + "': " + c.problem);
  }
  return c.parts;
}

int compare_versions(std::string_view a, std::string_view b) {
  // dpkg trims blanks around a version; debVS does not, so trim before both.
  a = trim_blanks_view(a);
  b = trim_blanks_view(b);
  return debVS.DoCmpVersion(a.data(), a.data() + a.size(), b.data(), b.data() + b.size());
}

std::optional<Relation> parse_relation(std::string_view op) {
  if (op == "lt" || op == "<<") return Relation::kLess;
  if (op == "le" || op == "<=") return Relation::kLessEqual;
  if (op == "eq" || op == "=") return Relation::kEqual;
  if (op == "ne") return Relation::kNotEqual;
  if (op == "ge" || op == ">=") return Relation::kGreaterEqual;
  if (op == "gt" || op == ">>") return Relation::kGreater;
  return std::nullopt;
}

bool satisfies(std::string_view a, Relation rel, std::string_view b) {
  int c = compare_versions(a, b);
  switch (rel) {
    case Relation::kLess: return c < 0;
    case Relation::kLessEqual: return c <= 0;
    case Relation::kEqual: return c == 0;
    case Relation::kNotEqual: return c != 0;
    case Relation::kGreaterEqual: return c >= 0;
    case Relation::kGreater: return c > 0;
  }
  return false;
}

const char* relation_symbol(Relation rel) {
  switch (rel) {
    case Relation::kLess: return "<<";
    case Relation::kLessEqual: return "<=";
    case Relation::kEqual: return "=";
    case Relation::kNotEqual: return "!=";
    case Relation::kGreaterEqual: return ">=";
    case Relation::kGreater: return ">>";
  }
  return "?";
}

CompareOutcome dpkg_compare_versions(std::string_view a, std::string_view op, std::string_view b) {
  // dpkg's relationinfos table (src/main/enquiry.c): the exit code when A is
  // missing, both are missing, B is missing, and for A<B, A=B, A>B.
  struct Info {
    const char* op;
    int none_a, none_both, none_b, less, equal, greater;
    bool obsolete;
  };
  static const Info table[] = {
      {"le", 0, 0, 1, 0, 0, 1, false},    {"lt", 0, 1, 1, 0, 1, 1, false},
      {"eq", 1, 0, 1, 1, 0, 1, false},    {"ne", 0, 1, 0, 0, 1, 0, false},
      {"ge", 1, 0, 0, 1, 0, 0, false},    {"gt", 1, 1, 0, 1, 1, 0, false},
      {"le-nl", 1, 0, 0, 0, 0, 1, false}, {"lt-nl", 1, 1, 0, 0, 1, 1, false},
      {"ge-nl", 0, 0, 1, 1, 0, 0, false}, {"gt-nl", 0, 1, 1, 1, 1, 0, false},
      {"<", 0, 0, 1, 0, 0, 1, true},      {"<=", 0, 0, 1, 0, 0, 1, false},
      {"<<", 0, 1, 1, 0, 1, 1, false},    {"=", 1, 0, 1, 1, 0, 1, false},
      {">", 1, 0, 0, 1, 0, 0, true},      {">=", 1, 0, 0, 1, 0, 0, false},
      {">>", 1, 1, 0, 1, 1, 0, false},
  };
  CompareOutcome out;
  const Info* info = nullptr;
  for (const auto& i : table)
    if (op == i.op) info = &i;
  if (!info) {
    out.error = "bad relation operator '" + std::string(op) +
                "' (one of lt le eq ne ge gt, << <= = >= >>, lt-nl le-nl ge-nl gt-nl)";
    return out;
  }
  if (info->obsolete)
    out.warnings.push_back("--compare-versions used with obsolete relation operator '" + std::string(op) + "'");
  auto informative = [&](std::string_view v, bool& present) -> bool {
    present = !v.empty() && v != "<unknown>";
    if (!present) return true;
    VersionCheck c = check_version(v);
    if (c.severity == VersionCheck::Severity::kError) {
      out.error = "version '" + std::string(v) + "' has bad syntax: " + c.problem;
      return false;
    }
    if (c.severity == VersionCheck::Severity::kWarning)
      out.warnings.push_back("version '" + std::string(v) + "' has bad syntax: " + c.problem);
    return true;
  };
  bool has_a = false, has_b = false;
  if (!informative(a, has_a) || !informative(b, has_b)) return out;
  if (!has_a) out.exit_code = has_b ? info->none_a : info->none_both;
  else if (!has_b) out.exit_code = info->none_b;
  else {
    int c = compare_versions(a, b);
    out.exit_code = c < 0 ? info->less : c == 0 ? info->equal : info->greater;
  }
  return out;
}

}  // namespace hapkg::deb
