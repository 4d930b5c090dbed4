// The line patterns of Dpkg/Changelog/Entry/Debian.pm and
// Dpkg/Changelog/Debian.pm, scanned by hand: each function accepts exactly
// what dpkg's regex accepts (Perl semantics, ASCII \w \d \s) in time linear
// in the line, so no input can make the parser recurse deeply or backtrack
// without bound (std::regex did both on long lines).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hapkg::deb::lines {

// ^(\w[-+0-9a-z.]*) \(([^\(\) \t]+)\)((?:\s+[-+0-9a-z.]+)+)\;(.*?)\s*$  (case-insensitive)
struct Header {
  std::string_view source, version;
  std::string_view distributions;  // with the blanks before each
  std::string_view options;        // after ';', trailing blanks removed
};
std::optional<Header> match_header(std::string_view line);

// ^ \-\- (.*) <(.*)>(  ?)(((\w+)\,\s*)?(DATE))\s*$
struct Trailer {
  std::string_view name, email, spaces;
  std::string_view date;     // weekday (if any) and DATE, as written
  bool has_weekday = false;
  std::string_view weekday;  // the \w+ before ','
};
std::optional<Trailer> match_trailer(std::string_view line);

// DATE: ^(\d{1,2})\s+(\w+)\s+(\d{4})\s+(\d{1,2}):(\d\d):(\d\d)\s+([-+])(\d\d)(\d\d)$
struct Date {
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  std::string_view month;
  int offset_seconds = 0;  // east of UTC
};
std::optional<Date> match_date(std::string_view s);

// Lines that end the entries and start a verbatim tail: editor variables
// (^(?:;;\s*)?Local variables: and ^vim:, case-insensitive) and the starts
// of dpkg's "old changelog format".
bool is_editor_variables(std::string_view line);
bool is_old_format_start(std::string_view line);
// Lines dpkg skips between entries: ^\$\w+:.*\$, "# ...", ^/\*.*\*/.
bool is_comment(std::string_view line);
// ^\s{2,}\S
bool is_change(std::string_view line);

// dpkg's find_closes over the joined change lines: the digits of every
// closes:\s*(?:bug)?\#?\s?\d+(?:,\s*(?:bug)?\#?\s?\d+)* (Debian) or
// lp:\s+\#\d+(?:,\s*\#\d+)* (Launchpad) match, in order of appearance.
std::vector<std::string_view> debian_bug_numbers(std::string_view text);
std::vector<std::string_view> launchpad_bug_numbers(std::string_view text);

// Header options split as Perl's split(/\s*,\s*/, ...): trailing empty
// fields dropped.
std::vector<std::string_view> split_options(std::string_view options);
// ^([-0-9a-z]+)=\s*(.*\S)$ (case-insensitive): key and value.
std::optional<std::pair<std::string_view, std::string_view>> match_option(std::string_view opt);
// ^([-0-9a-z]+)((\s+.*)?)$: an urgency value ("high (security fix)").
bool is_urgency_value(std::string_view value);
// ^X[BCS]+- (case-insensitive): a user-defined field.
bool is_user_field_key(std::string_view key);

// The "  [ Name ]" line dch writes before one maintainer's changes: Name.
std::optional<std::string_view> match_group_line(std::string_view line);

}  // namespace hapkg::deb::lines
