#include "deb/changelog.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <strings.h>

#include "deb/apt_init.h"
#include "deb/changelog_lines.h"
#include "deb/version.h"
#include "deb/version_next.h"
#include "util/error.h"
#include "util/file.h"
#include "util/strings.h"

namespace hapkg::deb {
namespace {

const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

bool blank_line(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// "dd Mon yyyy hh:mm:ss +zzzz" -> epoch seconds, as Time::Piece->strptime
// does with '%d %b %Y %T %z'. Returns false when dpkg could not parse it.
bool parse_date(std::string_view date, std::int64_t& out, std::string& why) {
  auto d = lines::match_date(date);
  if (!d) {
    why = "cannot parse non-conformant date '" + std::string(date) + "'";
    return false;
  }
  const std::string month(d->month);
  int mon = -1;
  for (int i = 0; i < 12; ++i)
    if (strcasecmp(month.c_str(), kMonths[i]) == 0) mon = i;
  if (mon < 0) {
    for (int i = 0; i < 12; ++i)
      if (month == kMonthNames[i]) {
        why = "uses full '" + month + "' instead of abbreviated month name '" + kMonths[i] + "'";
        return false;
      }
    why = "invalid abbreviated month name '" + month + "'";
    return false;
  }
  if (d->day < 1 || d->day > 31 || d->hour > 23 || d->minute > 59 || d->second > 60) {
    why = "cannot parse non-conformant date '" + std::string(date) + "'";
    return false;
  }
  std::tm tm{};
  tm.tm_mday = d->day;
  tm.tm_mon = mon;
  tm.tm_year = d->year - 1900;
  tm.tm_hour = d->hour;
  tm.tm_min = d->minute;
  tm.tm_sec = d->second;
  out = static_cast<std::int64_t>(timegm(&tm)) - d->offset_seconds;
  return true;
}

// Checks a header's options as Dpkg::Changelog::Entry::Debian::parse_header does.
void parse_options(ChangelogEntry& e, std::string_view options, const std::string& where) {
  for (std::string_view opt : lines::split_options(options)) {
    auto kv = lines::match_option(opt);
    if (!kv) throw InputError(where + ": bad key-value after ';': '" + std::string(opt) + "'");
    std::string key(kv->first), value(kv->second);
    for (const auto& [k, v] : e.options)
      if (strcasecmp(k.c_str(), key.c_str()) == 0) throw InputError(where + ": repeated key-value " + key);
    if (strcasecmp(key.c_str(), "urgency") == 0) {
      if (!lines::is_urgency_value(value)) throw InputError(where + ": badly formatted urgency value: " + value);
    } else if (strcasecmp(key.c_str(), "binary-only") == 0) {
      if (value != "yes") throw InputError(where + ": bad binary-only value: " + value);
    } else if (!lines::is_user_field_key(key)) {
      throw InputError(where + ": unknown key-value " + key);
    }
    e.options.emplace_back(key, value);
  }
}

void parse_header(ChangelogEntry& e, const lines::Header& h, const std::string& where) {
  e.source = h.source;
  e.version = h.version;
  std::istringstream ds{std::string(h.distributions)};
  for (std::string d; ds >> d;) e.distributions.push_back(d);
  std::string_view opts = h.options;
  opts.remove_prefix(std::min(opts.size(), opts.find_first_not_of(" \t")));
  parse_options(e, opts, where);
  VersionCheck vc = check_version(e.version);
  if (!vc.ok()) throw InputError(where + ": version '" + e.version + "' is invalid: " + vc.problem);
}

void parse_trailer(ChangelogEntry& e, const lines::Trailer& t, const std::string& where) {
  e.maintainer = std::string(t.name) + " <" + std::string(t.email) + ">";
  if (t.spaces != "  ") throw InputError(where + ": badly formatted trailer line");
  if (t.has_weekday) {
    bool known = false;
    for (const char* d : kWeekdays) known |= t.weekday == d;
    if (!known) throw InputError(where + ": ignoring invalid week day '" + std::string(t.weekday) + "'");
  }
  std::string_view date = t.date;
  if (t.has_weekday) date = ltrim_view(date.substr(t.weekday.size() + 1));
  std::int64_t ts;
  std::string why;
  if (!parse_date(date, ts, why)) throw InputError(where + ": " + why);
  e.date = t.date;
}

// Dpkg's find_closes: the numbers found over the change lines joined by
// "\n", unique, sorted numerically (compared as digit strings without
// leading zeros, so no length overflows).
std::vector<std::string> unique_sorted(const std::vector<std::string_view>& numbers) {
  auto numeric_less = [](std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  };
  std::map<std::string_view, std::string_view, decltype(numeric_less)> found(numeric_less);
  for (std::string_view digits : numbers) {
    size_t nz = digits.find_first_not_of('0');
    found.emplace(nz == std::string_view::npos ? std::string_view("0") : digits.substr(nz), digits);
  }
  std::vector<std::string> out;
  for (const auto& [n, digits] : found) out.emplace_back(digits);
  return out;
}

std::string joined_changes(const std::vector<std::string>& changes) {
  std::string all;
  for (size_t i = 0; i < changes.size(); ++i) all += (i ? "\n" : "") + changes[i];
  return all;
}

// What dpkg's parser expects next, and its name in dpkg's messages.
enum class Expect { kFirstHeading, kStartChanges, kChangesOrTrailer, kNextOrEof };
const char* expect_name(Expect e) {
  switch (e) {
    case Expect::kFirstHeading: return "first heading";
    case Expect::kStartChanges: return "start of change data";
    case Expect::kChangesOrTrailer: return "more change data or trailer";
    case Expect::kNextOrEof: return "next heading or end of file";
  }
  return "?";
}

}  // namespace

std::string ChangelogEntry::distribution() const {
  std::string out;
  for (const auto& d : distributions) out += (out.empty() ? "" : " ") + d;
  return out;
}

std::string ChangelogEntry::urgency() const {
  for (const auto& [k, v] : options)
    if (strcasecmp(k.c_str(), "urgency") == 0) {
      std::string u = v.substr(0, v.find_first_of(" \t"));
      for (auto& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return u;
    }
  return "";
}

std::int64_t ChangelogEntry::timestamp() const {
  std::string_view d = date;
  size_t comma = d.find(',');
  if (comma != std::string::npos) d = ltrim_view(d.substr(comma + 1));
  std::int64_t ts = 0;
  std::string why;
  if (!parse_date(d, ts, why)) throw InputError(why);
  return ts;
}

std::vector<std::string> ChangelogEntry::closes() const {
  return unique_sorted(lines::debian_bug_numbers(joined_changes(changes)));
}

std::vector<std::string> ChangelogEntry::launchpad_bugs() const {
  return unique_sorted(lines::launchpad_bug_numbers(joined_changes(changes)));
}

std::string ChangelogEntry::dpkg_changes() const {
  std::string header = raw.substr(0, raw.find('\n'));
  std::string out = "\n" + rtrim(header) + "\n\n";
  for (size_t i = 0; i < changes.size(); ++i) out += (i ? "\n" : "") + changes[i];
  return out;
}

// The state machine of Dpkg::Changelog::Debian::parse, strict: every
// parse_error there (a warning in dpkg-parsechangelog) is an error here.
Changelog parse_changelog(const std::string& text, const std::string& filename) {
  Changelog cl;
  cl.filename = filename;
  Expect expect = Expect::kFirstHeading;
  ChangelogEntry* cur = nullptr;
  std::vector<std::string> blanks;
  size_t pos = 0, lineno = 0;
  auto where = [&] { return InputError::at(filename, lineno); };
  auto sink = [&](const std::string& raw) { (cur ? cur->raw : cl.leading) += raw; };

  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    std::string raw = text.substr(pos, end - pos);
    std::string line = raw.substr(0, raw.size() - (nl == std::string::npos ? 0 : 1));
    pos = end;
    ++lineno;
    // Every pattern before the trailer's needs a non-blank first character
    // and the trailer patterns need " --": skipping them by that test alone
    // keeps dpkg's order of checks and makes the common change line cheap.
    std::optional<lines::Header> header;
    std::optional<lines::Trailer> trailer;
    const bool starts_blank = line.empty() || std::isspace(static_cast<unsigned char>(line[0]));
    const bool may_be_trailer = line.starts_with(" --");
    if (!starts_blank && (header = lines::match_header(line))) {
      if (expect != Expect::kFirstHeading && expect != Expect::kNextOrEof)
        throw InputError(where() + ": found start of entry where expected " + expect_name(expect));
      cl.entries.emplace_back();
      cur = &cl.entries.back();
      cur->line = lineno;
      cur->raw = raw;
      parse_header(*cur, *header, where());
      expect = Expect::kStartChanges;
      blanks.clear();
    } else if (!starts_blank && lines::is_editor_variables(line)) {
      cl.tail = text.substr(pos - raw.size());
      break;
    } else if (!starts_blank && lines::is_comment(line)) {
      sink(raw);  // dpkg skips these; we keep their bytes
    } else if (!starts_blank && lines::is_old_format_start(line)) {
      cl.tail = text.substr(pos - raw.size());
      break;
    } else if (!line.empty() && !std::isspace(static_cast<unsigned char>(line[0]))) {
      throw InputError(where() + ": badly formatted heading line");
    } else if (may_be_trailer && (trailer = lines::match_trailer(line))) {
      if (expect != Expect::kChangesOrTrailer)
        throw InputError(where() + ": found trailer where expected " + expect_name(expect));
      cur->raw += raw;
      parse_trailer(*cur, *trailer, where());
      blanks.clear();
      expect = Expect::kNextOrEof;
    } else if (may_be_trailer) {
      throw InputError(where() + ": badly formatted trailer line");
    } else if (lines::is_change(line)) {
      if (expect != Expect::kStartChanges && expect != Expect::kChangesOrTrailer)
        throw InputError(where() + ": found change data where expected " + expect_name(expect));
      cur->changes.insert(cur->changes.end(), blanks.begin(), blanks.end());
      cur->changes.push_back(line);
      cur->raw += raw;
      blanks.clear();
      expect = Expect::kChangesOrTrailer;
    } else if (blank_line(line)) {
      if (expect == Expect::kFirstHeading) {
        cl.leading += raw;
        continue;
      }
      if (expect == Expect::kChangesOrTrailer) blanks.push_back(line);
      cur->raw += raw;
    } else {
      throw InputError(where() + ": unrecognized line");
    }
  }
  if (expect != Expect::kNextOrEof)
    throw InputError(InputError::at(filename, lineno) + ": found end of file where expected " + expect_name(expect));
  if (cl.entries.empty()) throw InputError(filename + ": no changelog entry found");
  return cl;
}

Changelog read_changelog(const std::string& path) { return parse_changelog(read_changelog_text(path), path); }

std::string read_changelog_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not a changelog file");
  return path.ends_with(".gz") ? read_apt_file(path) : read_file(path);
}

std::string render_changelog(const Changelog& cl) {
  std::string out = cl.leading;
  for (const auto& e : cl.entries) out += e.raw;
  return out + cl.tail;
}

std::string rfc2822_date(std::time_t when) {
  std::tm tm{};
  localtime_r(&when, &tm);
  char buf[64];
  // Day and month names are always English, whatever the locale.
  long off = tm.tm_gmtoff;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", kWeekdays[(tm.tm_wday + 6) % 7],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
                off / 3600, (off % 3600) / 60);
  return buf;
}

namespace {

std::string maintainer_from_env() {
  const char* name = std::getenv("DEBFULLNAME");
  if (!name) name = std::getenv("NAME");
  const char* email = std::getenv("DEBEMAIL");
  if (!email) email = std::getenv("EMAIL");
  if (!name || !email) throw InputError("set DEBFULLNAME and DEBEMAIL (or pass --maintainer) to add an entry");
  return std::string(name) + " <" + email + ">";
}

std::string name_of(const std::string& maintainer) { return rtrim(maintainer.substr(0, maintainer.find(" <"))); }

// Perl's isSPACE and isCNTRL on one byte (ASCII).
bool perl_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool perl_control(char c) { return static_cast<unsigned char>(c) < 32 || c == 127; }
size_t utf8_length(char lead) {
  const auto b = static_cast<unsigned char>(lead);
  return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

// One ^<<< field of `width` characters as Perl's formline fills it
// (pp_formline FF_CHECKCHOP, FF_ITEM, FF_CHOP with $: = " \n-"): the
// longest head of `rest` that ends before a blank or after a '-' within the
// field (a word longer than the field is cut), control characters shown as
// blanks; `rest` loses it and the blanks after it. `gotsome`: the field
// held a printable character.
std::string take_field(std::string_view& rest, size_t width, bool& gotsome) {
  size_t i = 0, size = 0, chop = std::string_view::npos;
  while (i < rest.size()) {
    const char c = rest[i];
    if (perl_space(c)) {
      chop = i;
      if (c == '\r' || size == width) break;
    } else {
      if (size == width) break;
      if (c == '-') chop = i + 1;
      gotsome |= !perl_control(c);
    }
    i += perl_space(c) ? 1 : std::min(utf8_length(c), rest.size() - i);
    ++size;
  }
  if (chop == std::string_view::npos || i == rest.size()) chop = i;
  std::string item(rest.substr(0, chop));
  for (char& c : item)
    if (perl_control(c)) c = ' ';
  while (chop < rest.size() && perl_space(rest[chop])) ++chop;
  rest.remove_prefix(chop);
  return item;
}

// One change as dch writes it: its CHANGELOG format, "  * " then "    "
// before ^<<< fields of 68 characters (the "~~" line repeats while text is
// left), trailing blanks removed as formline removes them.
std::string dch_item(std::string_view change) {
  constexpr size_t kFieldWidth = 68;
  std::string out;
  for (bool first = true; first || !change.empty(); first = false) {
    bool gotsome = false;
    std::string line = (first ? "  * " : "    ") + take_field(change, kFieldWidth, gotsome);
    if (!first && !gotsome) break;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// The blank lines after an entry's trailer, verbatim.
std::string after_trailer(const std::string& raw) {
  size_t t = raw.rfind("\n -- ");
  size_t eol = t == std::string::npos ? std::string::npos : raw.find('\n', t + 1);
  return eol == std::string::npos ? "\n" : raw.substr(eol + 1);
}

}  // namespace

std::string add_changelog_entry(Changelog& cl, const NewEntry& req) {
  if (cl.entries.empty()) throw InputError(cl.filename + ": no entry to continue from");
  if (req.changes.empty()) throw InputError("a new changelog entry needs at least one change");
  const ChangelogEntry& top = cl.entries.front();
  const bool merge = req.merge_unreleased && top.distributions == std::vector<std::string>{"UNRELEASED"};
  std::string version = req.version;
  if (version.empty()) {
    NextVersionRequest nr;
    nr.ubuntu = req.ubuntu;
    version = next_version(top.version, nr);
  }
  parse_version(version, "new version");
  // Merging replaces the top entry, so the version must beat the one below.
  const ChangelogEntry* previous = merge ? (cl.entries.size() > 1 ? &cl.entries[1] : nullptr) : &top;
  if (!req.allow_lower && previous && compare_versions(version, previous->version) <= 0)
    throw InputError(cl.filename + ": new version " + version + " is not greater than " + previous->version);
  std::string maint = req.maintainer.empty() ? maintainer_from_env() : req.maintainer;
  std::string when = rfc2822_date(req.when ? req.when : std::time(nullptr));
  std::string items;
  for (const auto& c : req.changes) items += dch_item(c);

  std::string text;
  if (!merge) {
    std::string dist = req.distribution.empty() ? "UNRELEASED" : req.distribution;
    std::string urgency = req.urgency.empty() ? "medium" : req.urgency;
    text = top.source + " (" + version + ") " + dist + "; urgency=" + urgency + "\n\n" + items;
    text += "\n -- " + maint + "  " + when + "\n\n";
  } else {
    std::string dist = req.distribution.empty() ? top.distribution() : req.distribution;
    std::string opts;
    bool has_urgency = false;
    for (const auto& [k, v] : top.options) {
      bool is_urgency = strcasecmp(k.c_str(), "urgency") == 0;
      has_urgency |= is_urgency;
      opts += (opts.empty() ? "" : ", ") + k + "=" + (is_urgency && !req.urgency.empty() ? req.urgency : v);
    }
    if (!has_urgency) opts += (opts.empty() ? "" : ", ") + std::string("urgency=") +
                              (req.urgency.empty() ? "medium" : req.urgency);
    text = top.source + " (" + version + ") " + dist + "; " + opts + "\n\n";
    std::vector<std::string> kept = top.changes;
    std::string last_group;
    for (const auto& l : kept)
      if (auto name = lines::match_group_line(l)) last_group = *name;
    std::string old_name = name_of(top.maintainer), new_name = name_of(maint);
    if (last_group.empty() && old_name != new_name) {
      kept.insert(kept.begin(), "  [ " + old_name + " ]");
      last_group = old_name;
    }
    for (const auto& l : kept) text += l + "\n";
    if (!last_group.empty() && last_group != new_name) text += "\n  [ " + new_name + " ]\n";
    text += items + "\n -- " + maint + "  " + when + "\n" + after_trailer(top.raw);
  }
  Changelog added = parse_changelog(text, "new entry");
  ChangelogEntry entry = std::move(added.entries.front());
  if (merge) cl.entries.front() = std::move(entry);
  else cl.entries.insert(cl.entries.begin(), std::move(entry));
  return version;
}

}  // namespace hapkg::deb
