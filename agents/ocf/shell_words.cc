#include "ocf/shell_words.h"

#include <cstring>

namespace hapkg::ocf {

SplitResult split_shell_words(const std::string& s) {
  SplitResult r;
  std::string word;
  bool in_word = false;
  auto fail = [&](const std::string& why) {
    r.words.clear();
    r.error = why;
    return r;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) r.words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      size_t end = s.find('\'', i + 1);
      if (end == std::string::npos) return fail("unterminated single quote");
      word += s.substr(i + 1, end - i - 1);
      in_word = true;
      i = end;
    } else if (c == '"') {
      in_word = true;
      for (++i;; ++i) {
        if (i >= s.size()) return fail("unterminated double quote");
        char d = s[i];
        if (d == '"') break;
        if (d == '$' || d == '`') return fail(std::string("shell expansion '") + d + "' is not supported");
        if (d == '\\' && i + 1 < s.size() && std::strchr("\"\\$`\n", s[i + 1])) {
          if (s[i + 1] != '\n') word += s[i + 1];
          ++i;
        } else {
          word += d;
        }
      }
    } else if (c == '\\') {
      if (i + 1 >= s.size()) return fail("trailing backslash");
      if (s[i + 1] != '\n') {
        word += s[i + 1];
        in_word = true;
      }
      ++i;
    } else if (std::strchr("$`;|&<>()*?[#~", c)) {
      if (c == '#' && in_word) {  // '#' starts a comment only at a word's start
        word += c;
        continue;
      }
      if (c == '~' && in_word) {
        word += c;
        continue;
      }
      return fail(std::string("shell syntax '") + c + "' is not supported; quote it");
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) r.words.push_back(word);
  return r;
}

}  // namespace hapkg::ocf
