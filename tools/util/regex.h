// Perl-compatible regular expressions (PCRE2) as uscan uses them: watch
// file patterns and s///, tr/// mangle rules are Perl regexes. A match that
// backtracks without bound stops at PCRE2's match limit (its built-in
// default, 10,000,000 steps) with an error, never a hang or a stack overflow
// (util/regex_test.cc shows it on a catastrophic pattern); std::regex is never
// used on input a user or an archive supplies.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hapkg {

struct RegexMatch {
  std::size_t begin = 0, end = 0;                 // the whole match
  std::vector<std::optional<std::string>> groups;  // capture groups 1..n (nullopt: did not take part)
};

class Regex {
 public:
  // Throws std::invalid_argument("bad regex '<pattern>': <reason> at offset N").
  explicit Regex(const std::string& pattern, bool caseless = false, bool extended = false);
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  // The first match at or after `start`, or nullopt.
  std::optional<RegexMatch> search(std::string_view subject, std::size_t start = 0) const;
  std::size_t group_count() const { return groups_; }

 private:
  struct Code;
  std::unique_ptr<Code> code_;
  std::size_t groups_ = 0;
};

// Perl's /^PATTERN$/ in list context: the capture groups (undefined ones
// as ""), or nullopt when it does not match.
std::optional<std::vector<std::string>> full_match(const std::string& pattern, std::string_view subject);

}  // namespace hapkg
