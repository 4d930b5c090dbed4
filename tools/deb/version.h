// Debian version strings: dpkg's syntax rules, comparison through
// libapt-pkg's debVS, and dpkg --compare-versions semantics.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hapkg::deb {

struct Version {
  bool has_epoch = false;
  std::string epoch;      // digits; empty when absent
  std::string upstream;
  bool has_revision = false;
  std::string revision;   // empty when absent (native)
  std::string str() const;
};

// The verdict of dpkg's parseversion() on a string. A warning-only problem
// (non-digit start, odd characters) still yields parts, as in dpkg.
struct VersionCheck {
  enum class Severity { kOk, kWarning, kError } severity = Severity::kOk;
  std::string problem;  // dpkg's wording, empty when ok
  Version parts;
  bool ok() const { return severity == Severity::kOk; }
};

VersionCheck check_version(std::string_view text);

// Parses a version; throws InputError("<where>: invalid version '<v>': <why>")
// on errors and on warnings too (hapkg refuses what dpkg would complain about).
Version parse_version(std::string_view text, const std::string& where = "");

// <0, 0, >0 like strcmp, by dpkg's algorithm (libapt-pkg's debVS).
int compare_versions(std::string_view a, std::string_view b);

enum class Relation { kLess, kLessEqual, kEqual, kNotEqual, kGreaterEqual, kGreater };

// Accepts dpkg's spellings: lt le eq ne ge gt and << <= = >= >>.
std::optional<Relation> parse_relation(std::string_view op);
bool satisfies(std::string_view a, Relation rel, std::string_view b);
const char* relation_symbol(Relation rel);  // "<<", "<=", "=", "!=", ">=", ">>"

// dpkg --compare-versions A OP B, exit code included: 0 true, 1 false,
// 2 bad relation or a version dpkg rejects. Empty and "<unknown>" versions,
// the -nl operators and the obsolete < and > behave as in dpkg.
struct CompareOutcome {
  int exit_code = 2;
  std::vector<std::string> warnings;
  std::string error;
};
CompareOutcome dpkg_compare_versions(std::string_view a, std::string_view op, std::string_view b);

}  // namespace hapkg::deb
