#include "deb/changelog_lines.h"

#include "util/strings.h"

namespace hapkg::deb::lines {
namespace {

using sv = std::string_view;
constexpr size_t npos = sv::npos;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }       // \w
bool is_name(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '+' || c == '.'; }  // [-+0-9a-z.]/i
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The end of the run of characters from `i` that satisfy `pred`.
template <typename Pred>
size_t run_end(sv s, size_t i, Pred pred) {
  while (i < s.size() && pred(s[i])) ++i;
  return i;
}
size_t skip_space(sv s, size_t i) { return run_end(s, i, is_space); }

// `lower_prefix` (lower case) at s[i], ignoring case.
bool at_ignore_case(sv s, size_t i, sv lower_prefix) {
  if (i > s.size() || s.size() - i < lower_prefix.size()) return false;
  for (size_t k = 0; k < lower_prefix.size(); ++k)
    if (lower(s[i + k]) != lower_prefix[k]) return false;
  return true;
}
size_t find_ignore_case(sv s, sv lower_needle, size_t from) {
  for (size_t i = from; i + lower_needle.size() <= s.size(); ++i)
    if (at_ignore_case(s, i, lower_needle)) return i;
  return npos;
}
bool only_space_from(sv s, size_t i) { return skip_space(s, i) == s.size(); }

// Reads min..max digits at s[i] into `out`, advancing i.
bool digits(sv s, size_t& i, size_t min, size_t max, int& out) {
  size_t b = i;
  out = 0;
  while (i < s.size() && i - b < max && is_digit(s[i])) out = out * 10 + (s[i++] - '0');
  return i - b >= min;
}
bool digits(sv s, size_t& i, size_t min, size_t max) {
  int ignored;
  return digits(s, i, min, max, ignored);
}
// \s+ at s[i], advancing i.
bool spaces(sv s, size_t& i) {
  size_t b = i;
  i = skip_space(s, i);
  return i > b;
}
bool word(sv s, size_t& i) {
  size_t b = i;
  i = run_end(s, i, is_word);
  return i > b;
}
bool literal(sv s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

// \s+.*\s+[<(].*[)>] where s[j] is the first blank: the earliest "<" or
// "(" after a second blank leaves the most room for the closing bracket.
bool address_follows(sv s, size_t j) {
  for (size_t q = j + 2; q < s.size(); ++q)
    if ((s[q] == '<' || s[q] == '(') && is_space(s[q - 1])) return s.find_first_of(")>", q + 1) != npos;
  return false;
}

// ^\w+\s+\w+\s+ : where the date of an old-format header starts.
bool two_words(sv s, size_t& i) { return word(s, i) && spaces(s, i) && word(s, i) && spaces(s, i); }

// ^\w+\s+\w+\s+\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}\s+[\w\s]*\d{4}\s+.*\s+[<(].*[)>]
bool old_date_time_header(sv s) {
  size_t i = 0;
  if (!two_words(s, i) || !digits(s, i, 1, 2) || !literal(s, i, ' ') || !digits(s, i, 1, 2) ||
      !literal(s, i, ':') || !digits(s, i, 1, 2) || !literal(s, i, ':') || !digits(s, i, 1, 2) ||
      i >= s.size() || !is_space(s[i]))
    return false;
  const size_t t = i + 1;
  const size_t end = run_end(s, t, [](char c) { return is_word(c) || is_space(c); });
  for (size_t j = t + 4; j < end; ++j)
    if (is_space(s[j]) && is_digit(s[j - 1]) && is_digit(s[j - 2]) && is_digit(s[j - 3]) && is_digit(s[j - 4]))
      return address_follows(s, j);
  return false;
}

// ^\w+\s+\w+\s+\d{1,2},?\s*\d{4}\s+.*\s+[<(].*[)>]
bool old_date_header(sv s) {
  size_t p = 0;
  if (!two_words(s, p)) return false;
  for (size_t k = 1; k <= 2; ++k) {
    size_t i = p;
    if (!digits(s, i, k, k)) return false;
    if (i < s.size() && s[i] == ',') ++i;
    i = skip_space(s, i);
    if (digits(s, i, 4, 4) && i < s.size() && is_space(s[i]) && address_follows(s, i)) return true;
  }
  return false;
}

// ^\w[-+0-9a-z.]* \(([^\(\) \t]+)\)  (also the start of match_header)
bool name_and_version(sv s, size_t& i, sv& name, sv& version) {
  if (s.empty() || !is_word(s[0])) return false;
  i = run_end(s, 1, is_name);
  name = s.substr(0, i);
  if (!literal(s, i, ' ') || !literal(s, i, '(')) return false;
  size_t b = i;
  i = run_end(s, i, [](char c) { return c != '(' && c != ')' && c != ' ' && c != '\t'; });
  version = s.substr(b, i - b);
  return i > b && literal(s, i, ')');
}

// " debian " (any case) at s[p], then a non-blank.
bool debian_word_at(sv s, size_t p) { return at_ignore_case(s, p, " debian ") && p + 8 < s.size() && !is_space(s[p + 8]); }

// ^[\w.+-]+[- ]\S+ Debian \S+  (case-insensitive). \S+ ends at the first
// blank after the separator, so only two splits can work.
bool old_debian_line(sv s) {
  auto in_class = [](char c) { return is_word(c) || c == '.' || c == '+' || c == '-'; };
  const size_t r = run_end(s, 0, in_class);
  const size_t w0 = run_end(s, 0, [](char c) { return !is_space(c); });
  if (r == 0 || w0 == s.size()) return false;
  size_t dash = s.find('-', 1);
  if (dash != npos && dash < r && dash + 1 < w0 && debian_word_at(s, w0)) return true;
  if (r == w0 && s[r] == ' ') {
    size_t p = run_end(s, r + 1, [](char c) { return !is_space(c); });
    return p > r + 1 && debian_word_at(s, p);
  }
  return false;
}

// ^Changes for [\w.+-]+-[\w.+-]+:?\s*$  (case-insensitive)
bool changes_for(sv s) {
  if (!at_ignore_case(s, 0, "changes for ")) return false;
  const size_t b = 12;
  const size_t e = run_end(s, b, [](char c) { return is_word(c) || c == '.' || c == '+' || c == '-'; });
  size_t dash = s.find('-', b + 1);
  if (e - b < 3 || dash == npos || dash + 1 >= e) return false;
  size_t i = e;
  if (i < s.size() && s[i] == ':') ++i;
  return only_space_from(s, i);
}

// ^Changes from version (?:.*) to (?:.*):  (case-insensitive)
bool changes_from(sv s) {
  if (!at_ignore_case(s, 0, "changes from version ")) return false;
  size_t to = find_ignore_case(s, " to ", 21);
  return to != npos && s.find(':', to + 4) != npos;
}

// \w[\w.+~-]*:?\s*$ from s[0]
bool version_word(sv s) {
  if (s.empty() || !is_word(s[0])) return false;
  size_t i = run_end(s, 1, [](char c) { return is_word(c) || c == '.' || c == '+' || c == '~' || c == '-'; });
  if (i < s.size() && s[i] == ':') ++i;
  return only_space_from(s, i);
}

// ^(?:\d+:)?\w[\w.+~-]*:?\s*$  (case-sensitive in dpkg)
bool old_version_line(sv s) {
  size_t d = run_end(s, 0, is_digit);
  if (d > 0 && d < s.size() && s[d] == ':' && version_word(s.substr(d + 1))) return true;
  return version_word(s);
}

// (?:bug)?\#?\s?\d+ at s[i]; the digits go to `out`.
bool bug_number(sv s, size_t& i, std::vector<sv>& out) {
  auto number = [&](size_t k) {
    if (k < s.size() && s[k] == '#') ++k;
    if (k < s.size() && is_space(s[k])) ++k;
    size_t e = run_end(s, k, is_digit);
    if (e == k) return false;
    out.push_back(s.substr(k, e - k));
    i = e;
    return true;
  };
  return (at_ignore_case(s, i, "bug") && number(i + 3)) || number(i);
}

// \#\d+ at s[i].
bool lp_number(sv s, size_t& i, std::vector<sv>& out) {
  if (i >= s.size() || s[i] != '#') return false;
  size_t e = run_end(s, i + 1, is_digit);
  if (e == i + 1) return false;
  out.push_back(s.substr(i + 1, e - i - 1));
  i = e;
  return true;
}

// Every match of KEYWORD FIRST(?:,\s*ITEM)* left to right, as Perl's //g.
template <typename First, typename Item>
std::vector<sv> scan_bug_lists(sv text, sv keyword, First first, Item item) {
  std::vector<sv> out;
  size_t pos = 0;
  for (size_t p; (p = find_ignore_case(text, keyword, pos)) != npos;) {
    size_t i = p + keyword.size();
    if (!first(text, i, out)) {
      pos = p + 1;
      continue;
    }
    for (;;) {
      size_t k = i;
      if (!literal(text, k, ',')) break;
      k = skip_space(text, k);
      if (!item(text, k, out)) break;
      i = k;
    }
    pos = i;
  }
  return out;
}

}  // namespace

std::optional<Header> match_header(sv line) {
  Header h;
  size_t i = 0;
  if (!name_and_version(line, i, h.source, h.version)) return std::nullopt;
  const size_t dists_begin = i;
  while (i < line.size() && is_space(line[i])) {
    i = skip_space(line, i);
    size_t e = run_end(line, i, is_name);
    if (e == i) return std::nullopt;
    i = e;
  }
  if (i == dists_begin || i >= line.size() || line[i] != ';') return std::nullopt;
  h.distributions = line.substr(dists_begin, i - dists_begin);
  h.options = rtrim_view(line.substr(i + 1));
  return h;
}

std::optional<Trailer> match_trailer(sv line) {
  if (!line.starts_with(" -- ")) return std::nullopt;
  // The date holds no '>', so the email ends at the last one; the name is
  // greedy, so it ends at the last " <" before that.
  const size_t gt = line.rfind('>');
  if (gt == npos || gt < 6) return std::nullopt;
  const size_t lt = line.rfind(" <", gt - 2);
  if (lt == npos || lt < 4) return std::nullopt;
  Trailer t;
  t.name = line.substr(4, lt - 4);
  t.email = line.substr(lt + 2, gt - lt - 2);
  size_t i = run_end(line, gt + 1, [](char c) { return c == ' '; });
  if (i - gt - 1 < 1 || i - gt - 1 > 2) return std::nullopt;
  t.spaces = line.substr(gt + 1, i - gt - 1);
  t.date = rtrim_view(line.substr(i));
  size_t w = run_end(t.date, 0, is_word);
  sv date_only = t.date;
  if (w > 0 && w < t.date.size() && t.date[w] == ',') {
    t.has_weekday = true;
    t.weekday = t.date.substr(0, w);
    date_only = t.date.substr(skip_space(t.date, w + 1));
  }
  if (!match_date(date_only)) return std::nullopt;
  return t;
}

std::optional<Date> match_date(sv s) {
  Date d;
  size_t i = 0, m = 0;
  int tz_h = 0, tz_m = 0;
  if (!digits(s, i, 1, 2, d.day) || !spaces(s, i)) return std::nullopt;
  m = i;
  if (!word(s, i)) return std::nullopt;
  d.month = s.substr(m, i - m);
  if (!spaces(s, i) || !digits(s, i, 4, 4, d.year) || !spaces(s, i) || !digits(s, i, 1, 2, d.hour) ||
      !literal(s, i, ':') || !digits(s, i, 2, 2, d.minute) || !literal(s, i, ':') ||
      !digits(s, i, 2, 2, d.second) || !spaces(s, i) || i >= s.size() || (s[i] != '+' && s[i] != '-'))
    return std::nullopt;
  const int sign = s[i++] == '-' ? -1 : 1;
  if (!digits(s, i, 2, 2, tz_h) || !digits(s, i, 2, 2, tz_m) || i != s.size()) return std::nullopt;
  d.offset_seconds = sign * (tz_h * 3600 + tz_m * 60);
  return d;
}

bool is_editor_variables(sv line) {
  size_t i = 0;
  if (line.starts_with(";;")) i = skip_space(line, 2);
  return at_ignore_case(line, i, "local variables:") || at_ignore_case(line, 0, "vim:");
}

bool is_old_format_start(sv s) {
  size_t i = 0;
  sv name, version;
  return old_date_time_header(s) || old_date_header(s) || name_and_version(s, i, name, version) ||
         old_debian_line(s) || changes_from(s) || changes_for(s) ||
         (at_ignore_case(s, 0, "old changelog:") && only_space_from(s, 14)) || old_version_line(s);
}

bool is_comment(sv line) {
  if (line.starts_with("# ")) return true;
  if (line.starts_with("/*")) return line.find("*/", 2) != npos;
  size_t i = 1;
  return line.starts_with('$') && word(line, i) && literal(line, i, ':') && line.find('$', i) != npos;
}

bool is_change(sv line) {
  size_t i = skip_space(line, 0);
  return i >= 2 && i < line.size();
}

std::vector<sv> debian_bug_numbers(sv text) {
  auto first = [](sv s, size_t& i, std::vector<sv>& out) {
    i = skip_space(s, i);
    return bug_number(s, i, out);
  };
  return scan_bug_lists(text, "closes:", first, bug_number);
}

std::vector<sv> launchpad_bug_numbers(sv text) {
  auto first = [](sv s, size_t& i, std::vector<sv>& out) { return spaces(s, i) && lp_number(s, i, out); };
  return scan_bug_lists(text, "lp:", first, lp_number);
}

std::vector<sv> split_options(sv options) {
  std::vector<sv> out;
  size_t b = 0;
  for (;;) {
    size_t comma = options.find(',', b);
    sv field = options.substr(b, comma == npos ? npos : comma - b);
    if (b > 0) field = ltrim_view(field);
    if (comma != npos) field = rtrim_view(field);
    out.push_back(field);
    if (comma == npos) break;
    b = comma + 1;
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::optional<std::pair<sv, sv>> match_option(sv opt) {
  auto key_char = [](char c) { return is_alpha(c) || is_digit(c) || c == '-'; };
  size_t k = run_end(opt, 0, key_char);
  if (k == 0 || k >= opt.size() || opt[k] != '=') return std::nullopt;
  sv value = opt.substr(skip_space(opt, k + 1));
  if (value.empty() || is_space(value.back())) return std::nullopt;
  return std::pair{opt.substr(0, k), value};
}

bool is_urgency_value(sv value) {
  size_t k = run_end(value, 0, [](char c) { return is_alpha(c) || is_digit(c) || c == '-'; });
  return k > 0 && (k == value.size() || is_space(value[k]));
}

bool is_user_field_key(sv key) {
  if (key.empty() || lower(key[0]) != 'x') return false;
  size_t e = run_end(key, 1, [](char c) { return lower(c) == 'b' || lower(c) == 'c' || lower(c) == 's'; });
  return e > 1 && e < key.size() && key[e] == '-';
}

std::optional<sv> match_group_line(sv line) {
  sv t = rtrim_view(line);
  if (t.size() < 6 || !t.starts_with("  [ ") || !t.ends_with(" ]")) return std::nullopt;
  return t.substr(4, t.size() - 6);
}

}  // namespace hapkg::deb::lines
