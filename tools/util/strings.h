// Small string helpers every library shares (written once, here).
#pragma once

#include <string>
#include <string_view>

namespace hapkg {

// Blanks as Debian's formats mean them: space and tab (and, for trim_space,
// any ASCII white space, newlines included).
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

inline std::string_view ltrim_view(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  return s.substr(b);
}
inline std::string_view rtrim_view(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && is_space(s[e - 1])) --e;
  return s.substr(0, e);
}
inline std::string_view trim_view(std::string_view s) { return rtrim_view(ltrim_view(s)); }

// Without the blanks (space, tab) at either end: what dpkg trims around a
// version (c_isblank), leaving other white space to be an error.
inline std::string_view trim_blanks_view(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string ltrim(std::string_view s) { return std::string(ltrim_view(s)); }
inline std::string rtrim(std::string_view s) { return std::string(rtrim_view(s)); }
inline std::string trim(std::string_view s) { return std::string(trim_view(s)); }

// The first line of a tool's multi-line stderr that says something, for a
// one-line error message (the rest goes to the debug log).
std::string first_line(std::string_view text);

}  // namespace hapkg
