#include "deb/changelog.h"

#include <cstdlib>
#include <cstring>
#include <regex>
#include <sstream>
#include <strings.h>

#include "deb/apt_init.h"
#include "deb/version.h"
#include "deb/version_next.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::deb {
namespace {

using std::regex;
const auto kIcase = regex::ECMAScript | regex::icase;

// The regexes of Dpkg/Changelog/Entry/Debian.pm and Dpkg/Changelog/Debian.pm.
const regex& header_re() {
  static const regex r(R"(^(\w[-+0-9a-z.]*) \(([^\(\) \t]+)\)((?:\s+[-+0-9a-z.]+)+)\;(.*?)\s*$)", kIcase);
  return r;
}
const regex& trailer_re() {
  static const regex r(
      R"(^ \-\- (.*) <(.*)>(  ?)(((\w+)\,\s*)?(\d{1,2}\s+(\w+)\s+\d{4}\s+\d{1,2}:\d\d:\d\d\s+[-+]\d{4}))\s*$)",
      kIcase);
  return r;
}
// Lines that start dpkg's "old changelog format" tail (kept verbatim).
const regex& old_format_re() {
  static const regex r(
      R"(^(?:\w+\s+\w+\s+\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}\s+[\w\s]*\d{4})\s+(?:.*)\s+[<\(](?:.*)[\)>])"
      R"(|^(?:\w+\s+\w+\s+\d{1,2},?\s*\d{4})\s+(?:.*)\s+[<\(](?:.*)[\)>])"
      R"(|^(?:\w[-+0-9a-z.]*) \(([^\(\) \t]+)\)\;?)"
      R"(|^(?:[\w.+-]+)[- ](?:\S+) Debian (?:\S+))"
      R"(|^Changes from version (?:.*) to (?:.*):)"
      R"(|^Changes for [\w.+-]+-[\w.+-]+:?\s*$)"
      R"(|^Old Changelog:\s*$)",
      kIcase);
  return r;
}
const regex& old_format_word_re() {  // case-sensitive in dpkg
  static const regex r(R"(^(?:\d+:)?\w[\w.+~-]*:?\s*$)");
  return r;
}

const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

bool is_blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

std::string rtrim(std::string s) {
  while (!s.empty() && std::strchr(" \t\r\n", s.back())) s.pop_back();
  return s;
}

// "dd Mon yyyy hh:mm:ss +zzzz" -> epoch seconds, as Time::Piece->strptime
// does with '%d %b %Y %T %z'. Returns false when dpkg could not parse it.
bool parse_date(const std::string& date, std::int64_t& out, std::string& why) {
  static const regex r(R"(^(\d{1,2})\s+(\w+)\s+(\d{4})\s+(\d{1,2}):(\d\d):(\d\d)\s+([-+])(\d\d)(\d\d)$)");
  std::smatch m;
  if (!std::regex_match(date, m, r)) {
    why = "cannot parse non-conformant date '" + date + "'";
    return false;
  }
  int month = -1;
  for (int i = 0; i < 12; ++i)
    if (strcasecmp(m[2].str().c_str(), kMonths[i]) == 0) month = i;
  if (month < 0) {
    for (int i = 0; i < 12; ++i)
      if (m[2].str() == kMonthNames[i]) {
        why = "uses full '" + m[2].str() + "' instead of abbreviated month name '" + kMonths[i] + "'";
        return false;
      }
    why = "invalid abbreviated month name '" + m[2].str() + "'";
    return false;
  }
  std::tm tm{};
  tm.tm_mday = std::stoi(m[1]);
  tm.tm_mon = month;
  tm.tm_year = std::stoi(m[3]) - 1900;
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    why = "cannot parse non-conformant date '" + date + "'";
    return false;
  }
  std::int64_t offset = (std::stoi(m[8]) * 3600 + std::stoi(m[9]) * 60) * (m[7] == "-" ? -1 : 1);
  out = static_cast<std::int64_t>(timegm(&tm)) - offset;
  return true;
}

// Checks a header as Dpkg::Changelog::Entry::Debian::parse_header does.
void parse_header(ChangelogEntry& e, const std::smatch& m, const std::string& where) {
  e.source = m[1];
  e.version = m[2];
  std::string dists = m[3];
  std::istringstream ds(dists);
  for (std::string d; ds >> d;) e.distributions.push_back(d);
  std::string opts = m[4];
  size_t b = opts.find_first_not_of(" \t");
  opts = b == std::string::npos ? "" : opts.substr(b);
  static const regex split(R"(\s*,\s*)");
  static const regex kv(R"(^([-0-9a-z]+)=\s*(.*\S)$)", kIcase);
  static const regex urgency_ok(R"(^([-0-9a-z]+)((\s+.*)?)$)", kIcase);
  static const regex xfield(R"(^X[BCS]+-)", kIcase);
  for (std::sregex_token_iterator it(opts.begin(), opts.end(), split, -1), end; it != end; ++it) {
    std::string opt = *it;
    std::smatch km;
    if (!std::regex_match(opt, km, kv)) throw InputError(where + ": bad key-value after ';': '" + opt + "'");
    std::string key = km[1], value = km[2];
    for (const auto& [k, v] : e.options)
      if (strcasecmp(k.c_str(), key.c_str()) == 0) throw InputError(where + ": repeated key-value " + key);
    if (strcasecmp(key.c_str(), "urgency") == 0) {
      if (!std::regex_match(value, urgency_ok)) throw InputError(where + ": badly formatted urgency value: " + value);
    } else if (strcasecmp(key.c_str(), "binary-only") == 0) {
      if (value != "yes") throw InputError(where + ": bad binary-only value: " + value);
    } else if (!std::regex_search(key, xfield)) {
      throw InputError(where + ": unknown key-value " + key);
    }
    e.options.emplace_back(key, value);
  }
  VersionCheck vc = check_version(e.version);
  if (!vc.ok()) throw InputError(where + ": version '" + e.version + "' is invalid: " + vc.problem);
}

void parse_trailer(ChangelogEntry& e, const std::smatch& m, const std::string& where) {
  e.maintainer = m[1].str() + " <" + m[2].str() + ">";
  if (m[3] != "  ") throw InputError(where + ": badly formatted trailer line");
  if (m[5].matched) {
    bool known = false;
    for (const char* d : kWeekdays) known |= m[6] == d;
    if (!known) throw InputError(where + ": ignoring invalid week day '" + m[6].str() + "'");
  }
  std::int64_t ts;
  std::string why;
  if (!parse_date(m[7], ts, why)) throw InputError(where + ": " + why);
  e.date = m[4];
}

// Dpkg's find_closes: the pattern over the change lines joined by "\n",
// every "#?\s?(\d+)" inside a match, unique, sorted numerically.
std::vector<std::string> find_bug_numbers(const std::vector<std::string>& changes, const regex& pattern) {
  std::string all;
  for (size_t i = 0; i < changes.size(); ++i) all += (i ? "\n" : "") + changes[i];
  static const regex num(R"(\#?\s?(\d+))");
  std::map<unsigned long long, std::string> found;
  for (std::sregex_iterator it(all.begin(), all.end(), pattern), end; it != end; ++it) {
    std::string s = it->str();
    for (std::sregex_iterator n(s.begin(), s.end(), num); n != std::sregex_iterator(); ++n) {
      std::string digits = (*n)[1].str();
      size_t nz = digits.find_first_not_of('0');
      std::string key = nz == std::string::npos ? "0" : digits.substr(nz);
      if (key.size() > 19) key = key.substr(0, 19);  // no bug number is that long; keep the order stable
      found.emplace(std::stoull(key), digits);
    }
  }
  std::vector<std::string> out;
  for (const auto& [n, digits] : found) out.push_back(digits);
  return out;
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
  std::string d = date;
  size_t comma = d.find(',');
  if (comma != std::string::npos) d = d.substr(d.find_first_not_of(" \t", comma + 1));
  std::int64_t ts = 0;
  std::string why;
  if (!parse_date(d, ts, why)) throw InputError(why);
  return ts;
}

std::vector<std::string> ChangelogEntry::closes() const {
  static const regex closes_re(R"(closes:\s*(?:bug)?\#?\s?\d+(?:,\s*(?:bug)?\#?\s?\d+)*)", kIcase);
  return find_bug_numbers(changes, closes_re);
}

std::vector<std::string> ChangelogEntry::launchpad_bugs() const {
  static const regex lp_re(R"(lp:\s+\#\d+(?:,\s*\#\d+)*)", kIcase);
  return find_bug_numbers(changes, lp_re);
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
  enum class Expect { kFirstHeading, kStartChanges, kChangesOrTrailer, kNextOrEof };
  auto expect_name = [](Expect e) {
    switch (e) {
      case Expect::kFirstHeading: return "first heading";
      case Expect::kStartChanges: return "start of change data";
      case Expect::kChangesOrTrailer: return "more change data or trailer";
      case Expect::kNextOrEof: return "next heading or end of file";
    }
    return "?";
  };
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
    std::smatch m;
    static const regex emacs(R"(^(?:;;\s*)?Local variables:)", kIcase);
    static const regex vim(R"(^vim:)", kIcase);
    static const regex rcs(R"(^\$\w+:.*\$)");
    static const regex cblock(R"(^/\*.*\*/)");
    static const regex change(R"(^\s{2,}\S)");
    // Every pattern before the trailer's needs a non-blank first character
    // and the trailer patterns need " --": skipping them by that test alone
    // keeps dpkg's order of checks and makes the common change line cheap.
    // match_continuous: the patterns are anchored, never retry further on.
    const auto anchored = std::regex_constants::match_continuous;
    const bool starts_blank = line.empty() || std::isspace(static_cast<unsigned char>(line[0]));
    const bool may_be_trailer = line.starts_with(" --");
    if (!starts_blank && std::regex_search(line, m, header_re(), anchored)) {
      if (expect != Expect::kFirstHeading && expect != Expect::kNextOrEof)
        throw InputError(where() + ": found start of entry where expected " + expect_name(expect));
      cl.entries.emplace_back();
      cur = &cl.entries.back();
      cur->line = lineno;
      cur->raw = raw;
      parse_header(*cur, m, where());
      expect = Expect::kStartChanges;
      blanks.clear();
    } else if (!starts_blank && (std::regex_search(line, emacs, anchored) || std::regex_search(line, vim, anchored))) {
      cl.tail = text.substr(pos - raw.size());
      break;
    } else if (!starts_blank && (std::regex_search(line, rcs, anchored) || line.starts_with("# ") ||
                                 std::regex_search(line, cblock, anchored))) {
      sink(raw);  // dpkg skips these; we keep their bytes
    } else if (!starts_blank && (std::regex_search(line, old_format_re(), anchored) ||
                                 std::regex_search(line, old_format_word_re(), anchored))) {
      cl.tail = text.substr(pos - raw.size());
      break;
    } else if (!line.empty() && !std::isspace(static_cast<unsigned char>(line[0]))) {
      throw InputError(where() + ": badly formatted heading line");
    } else if (may_be_trailer && std::regex_search(line, m, trailer_re(), anchored)) {
      if (expect != Expect::kChangesOrTrailer)
        throw InputError(where() + ": found trailer where expected " + expect_name(expect));
      cur->raw += raw;
      parse_trailer(*cur, m, where());
      blanks.clear();
      expect = Expect::kNextOrEof;
    } else if (may_be_trailer) {
      throw InputError(where() + ": badly formatted trailer line");
    } else if (std::regex_search(line, change, anchored)) {
      if (expect != Expect::kStartChanges && expect != Expect::kChangesOrTrailer)
        throw InputError(where() + ": found change data where expected " + expect_name(expect));
      cur->changes.insert(cur->changes.end(), blanks.begin(), blanks.end());
      cur->changes.push_back(line);
      cur->raw += raw;
      blanks.clear();
      expect = Expect::kChangesOrTrailer;
    } else if (is_blank(line)) {
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
  for (const auto& c : req.changes) items += "  * " + c + "\n";

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
    std::vector<std::string> lines = top.changes;
    static const regex group(R"(^  \[ (.*) \]\s*$)");
    std::string last_group;
    for (const auto& l : lines) {
      std::smatch m;
      if (std::regex_match(l, m, group)) last_group = m[1];
    }
    std::string old_name = name_of(top.maintainer), new_name = name_of(maint);
    if (last_group.empty() && old_name != new_name) {
      lines.insert(lines.begin(), "  [ " + old_name + " ]");
      last_group = old_name;
    }
    for (const auto& l : lines) text += l + "\n";
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
