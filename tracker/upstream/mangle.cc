#include "tracker/upstream/mangle.h"

#include <charconv>
#include <stdexcept>

#include "util/regex.h"

namespace hapkg::tracker {
namespace {

// Splits "s<sep>A<sep>B<sep>flags" where a backslash escapes the next char.
bool split_rule(const std::string& rule, std::string& op, std::string& a, std::string& b, std::string& flags) {
  std::size_t i = 0;
  if (rule.compare(0, 2, "tr") == 0) op = "tr", i = 2;
  else if (!rule.empty() && (rule[0] == 's' || rule[0] == 'y')) op = rule.substr(0, 1), i = 1;
  else return false;
  if (i >= rule.size()) return false;
  char sep = rule[i++];
  if (sep == '{' || sep == '(' || sep == '[' || sep == '<' || std::isalnum(static_cast<unsigned char>(sep)) ||
      std::isspace(static_cast<unsigned char>(sep)))
    return false;
  std::string* parts[2] = {&a, &b};
  for (auto* part : parts) {
    for (;;) {
      if (i >= rule.size()) return false;
      char c = rule[i++];
      if (c == '\\' && i < rule.size()) {
        part->push_back(c);
        part->push_back(rule[i++]);
      } else if (c == sep) {
        break;
      } else {
        part->push_back(c);
      }
    }
  }
  flags = rule.substr(i);
  for (char c : flags)
    if (!std::islower(static_cast<unsigned char>(c))) return false;
  // A backslash-escaped separator stands for the separator itself.
  for (auto* part : parts) {
    std::string out;
    for (std::size_t k = 0; k < part->size(); ++k) {
      if ((*part)[k] == '\\' && k + 1 < part->size() && (*part)[k + 1] == sep) continue;
      out.push_back((*part)[k]);
    }
    *part = out;
  }
  return true;
}

std::string expand_ranges(const std::string& s) {
  std::string raw;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) raw.push_back(s[++i]);
    else raw.push_back(s[i]);
  }
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i + 2 < raw.size() && raw[i + 1] == '-') {
      for (int c = static_cast<unsigned char>(raw[i]); c <= static_cast<unsigned char>(raw[i + 2]); ++c)
        out.push_back(static_cast<char>(c));
      i += 2;
    } else {
      out.push_back(raw[i]);
    }
  }
  return out;
}

void transliterate(const std::string& from_spec, const std::string& to_spec, const std::string& flags,
                   std::string& value) {
  if (flags.find_first_not_of("ds") != std::string::npos)
    throw std::invalid_argument("tr/// flags must be d or s (c is not supported)");
  std::string from = expand_ranges(from_spec), to = expand_ranges(to_spec);
  bool del = flags.find('d') != std::string::npos, squeeze = flags.find('s') != std::string::npos;
  if (to.empty() && !del) to = from;
  if (!del && !to.empty() && to.size() < from.size()) to.append(from.size() - to.size(), to.back());
  std::string out;
  bool last_was_tr = false;
  for (char c : value) {
    std::size_t k = from.find(c);
    if (k == std::string::npos) {
      out.push_back(c);
      last_was_tr = false;
      continue;
    }
    if (k >= to.size()) continue;  // deleted (d)
    if (squeeze && last_was_tr && !out.empty() && out.back() == to[k]) continue;
    out.push_back(to[k]);
    last_was_tr = true;
  }
  value = out;
}

// Perl's replacement string: $1, ${1}, $& and backslash escapes.
std::string expand(const std::string& repl, const std::string& subject, const RegexMatch& m) {
  std::string out;
  for (std::size_t i = 0; i < repl.size(); ++i) {
    char c = repl[i];
    if (c == '\\' && i + 1 < repl.size()) {
      char n = repl[++i];
      if (n == 'n') out.push_back('\n');
      else if (n == 't') out.push_back('\t');
      else if (std::isdigit(static_cast<unsigned char>(n))) {  // \1 means $1 in a replacement
        std::size_t g = static_cast<std::size_t>(n - '0');
        if (g >= 1 && g <= m.groups.size() && m.groups[g - 1]) out += *m.groups[g - 1];
      } else out.push_back(n);
    } else if (c == '$' && i + 1 < repl.size()) {
      std::size_t j = i + 1;
      bool brace = repl[j] == '{';
      if (brace) ++j;
      if (repl[j] == '&') {
        out += subject.substr(m.begin, m.end - m.begin);
        i = j + (brace ? 1 : 0);
        continue;
      }
      std::size_t k = j;
      while (k < repl.size() && std::isdigit(static_cast<unsigned char>(repl[k]))) ++k;
      if (k == j || (brace && (k >= repl.size() || repl[k] != '}'))) {
        out.push_back(c);
        continue;
      }
      std::size_t g = 0;  // a group number too large to exist stays 0: no group
      if (std::from_chars(repl.data() + j, repl.data() + k, g).ec != std::errc()) g = 0;
      if (g >= 1 && g <= m.groups.size() && m.groups[g - 1]) out += *m.groups[g - 1];
      i = brace ? k : k - 1;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void apply_mangle(const std::string& rule_in, std::string& value) {
  std::string rule = rule_in;
  auto b = rule.find_first_not_of(" \t"), e = rule.find_last_not_of(" \t");
  rule = b == std::string::npos ? "" : rule.substr(b, e - b + 1);
  std::string op, a, r, flags;
  if (!split_rule(rule, op, a, r, flags))
    throw std::invalid_argument("malformed mangle rule '" + rule + "' (expected s/../../, tr/../../ or y/../../)");
  if (op != "s") {
    transliterate(a, r, flags, value);
    return;
  }
  if (flags.find_first_not_of("gix") != std::string::npos)
    throw std::invalid_argument("mangle rule '" + rule + "': flags must consist of g, i, x");
  if (a.find("(?{") != std::string::npos || a.find("(??{") != std::string::npos)
    throw std::invalid_argument("mangle rule '" + rule + "': code in a regex is not allowed");
  bool global = flags.find('g') != std::string::npos;
  Regex re(a, flags.find('i') != std::string::npos, flags.find('x') != std::string::npos);
  std::string out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    auto m = re.search(value, pos);
    if (!m) break;
    out += value.substr(pos, m->begin - pos);
    out += expand(r, value, *m);
    if (m->end == m->begin) {
      if (m->end < value.size()) out.push_back(value[m->end]);
      pos = m->end + 1;
    } else {
      pos = m->end;
    }
    if (!global) break;
  }
  if (pos < value.size()) out += value.substr(pos);
  value = out;
}

void apply_mangles(const std::vector<std::string>& rules, std::string& value) {
  for (const auto& rule : rules) apply_mangle(rule, value);
}

}  // namespace hapkg::tracker
