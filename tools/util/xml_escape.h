// Escaping of text for XML and HTML element content and double-quoted
// attribute values (OCF meta-data, JUnit XML, the report's HTML page).
// Header-only so that the OCF agents, which link none of the hapkg
// libraries, use the same code.
#pragma once

#include <string>
#include <string_view>

namespace hapkg {

inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace hapkg
