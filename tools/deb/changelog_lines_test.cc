#include "deb/changelog_lines.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>

namespace {

using namespace hapkg::deb::lines;

TEST(ChangelogLines, Header) {
  auto h = match_header("hello (1:1.0-2) unstable  experimental; urgency=High (security)  ");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->source, "hello");
  EXPECT_EQ(h->version, "1:1.0-2");
  EXPECT_EQ(h->distributions, " unstable  experimental");
  EXPECT_EQ(h->options, " urgency=High (security)");
  EXPECT_TRUE(match_header("Hello.X+ (1) UNRELEASED;"));
  EXPECT_FALSE(match_header("hello (1) unstable ; urgency=low"));  // blank before ';'
  EXPECT_FALSE(match_header("hello (1 2) unstable; urgency=low"));
  EXPECT_FALSE(match_header("hello (1) ; urgency=low"));
  EXPECT_FALSE(match_header("hello(1) unstable; urgency=low"));
  EXPECT_FALSE(match_header("-hello (1) unstable; urgency=low"));
}

TEST(ChangelogLines, Trailer) {
  auto t = match_trailer(" -- Jane <Doe> <jane@example.org>  Wed, 25 Nov 2026 00:35:05 +0100 ");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, "Jane <Doe>");
  EXPECT_EQ(t->email, "jane@example.org");
  EXPECT_EQ(t->spaces, "  ");
  EXPECT_EQ(t->date, "Wed, 25 Nov 2026 00:35:05 +0100");
  EXPECT_TRUE(t->has_weekday);
  EXPECT_EQ(t->weekday, "Wed");
  t = match_trailer(" --  <a>  1 Nov 2026 1:35:05 -0000");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, "");
  EXPECT_FALSE(t->has_weekday);
  EXPECT_EQ(match_trailer(" -- J <j@x> Wed, 25 Nov 2026 00:35:05 +0100")->spaces, " ");
  EXPECT_FALSE(match_trailer(" -- J <j@x>   Wed, 25 Nov 2026 00:35:05 +0100"));
  EXPECT_FALSE(match_trailer(" -- J <j@x>  Wed, 25 Nov 26 00:35:05 +0100"));
  EXPECT_FALSE(match_trailer(" -- J <j@x>  Wed, 25 Nov 2026 00:35:05 +01000"));
  EXPECT_FALSE(match_trailer(" -- J <j@x>  Wed, 125 Nov 2026 00:35:05 +0100"));
}

TEST(ChangelogLines, Date) {
  auto d = match_date("5 Nov 2026 23:59:60 -0130");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->day, 5);
  EXPECT_EQ(d->month, "Nov");
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->second, 60);
  EXPECT_EQ(d->offset_seconds, -5400);
  EXPECT_FALSE(match_date("5 Nov 2026 23:59:60 -0130 "));
  EXPECT_FALSE(match_date("5 Nov 2026 23:5:60 -0130"));
}

TEST(ChangelogLines, OldFormatAndEditorLines) {
  EXPECT_TRUE(is_old_format_start("Mon Jan  1 12:00:00 1996  Jane Doe <jane@x>"));
  EXPECT_TRUE(is_old_format_start("Sun Nov 3, 1996 Jane Doe (jane@x)"));
  EXPECT_TRUE(is_old_format_start("hello (1.0) unstable"));
  EXPECT_TRUE(is_old_format_start("hello-1.0 Debian 3"));
  EXPECT_TRUE(is_old_format_start("hello 1.0-1 debian 3"));
  EXPECT_TRUE(is_old_format_start("Changes from version 1.0 to 1.1:"));
  EXPECT_TRUE(is_old_format_start("Changes for hello-1.0:"));
  EXPECT_TRUE(is_old_format_start("OLD CHANGELOG:  "));
  EXPECT_TRUE(is_old_format_start("1:hello-1.0:"));
  EXPECT_FALSE(is_old_format_start("Hello world"));
  EXPECT_FALSE(is_old_format_start("Changes for hello:"));
  EXPECT_FALSE(is_old_format_start("Mon Jan  1 12:00:00 1996 <jane@x>"));  // \s+.*\s+ needs two blanks before '<'
  EXPECT_FALSE(is_old_format_start("Mon Jan  1 12:00:00 1996  Jane Doe <jane@x"));
  EXPECT_TRUE(is_editor_variables(";;  Local Variables:"));
  EXPECT_TRUE(is_editor_variables("vim: ft=debchangelog"));
  EXPECT_TRUE(is_comment("$Id: x $"));
  EXPECT_TRUE(is_comment("/* x */"));
  EXPECT_FALSE(is_comment("/*/"));
  EXPECT_TRUE(is_change("  * x"));
  EXPECT_FALSE(is_change("   "));
  EXPECT_FALSE(is_change(" x"));
}

TEST(ChangelogLines, BugNumbers) {
  auto d = debian_bug_numbers("Closes: #12, bug34,\n #56\ncloses:bug 7 closes: x");
  EXPECT_EQ(d, (std::vector<std::string_view>{"12", "34", "56", "7"}));
  auto lp = launchpad_bug_numbers("LP: #1, #2 lp:#3 lp: #4");
  EXPECT_EQ(lp, (std::vector<std::string_view>{"1", "2", "4"}));
}

TEST(ChangelogLines, Options) {
  EXPECT_EQ(split_options("a=b , c=d,"), (std::vector<std::string_view>{"a=b", "c=d"}));
  EXPECT_EQ(split_options(""), std::vector<std::string_view>{});
  EXPECT_EQ(split_options(",a=b").size(), 2u);
  auto kv = match_option("urgency= high (x)");
  ASSERT_TRUE(kv);
  EXPECT_EQ(kv->first, "urgency");
  EXPECT_EQ(kv->second, "high (x)");
  EXPECT_FALSE(match_option("urgency="));
  EXPECT_TRUE(is_urgency_value("high (x)"));
  EXPECT_FALSE(is_urgency_value("(x)"));
  EXPECT_TRUE(is_user_field_key("XbS-Foo"));
  EXPECT_FALSE(is_user_field_key("X-Foo"));
  EXPECT_EQ(*match_group_line("  [ Jane Doe ]  "), "Jane Doe");
  EXPECT_FALSE(match_group_line("  [ ]"));
}

// The lines that made std::regex overflow its stack or run for seconds:
// every scanner answers, whatever the length.
TEST(ChangelogLines, LongLinesAreLinear) {
  const std::string blanks(300000, ' ');
  const std::string digits(300000, '1');
  for (const std::string& line :
       {"hello (1.0)" + blanks + "unstable; urgency=low", "hello (1.0) unstable;" + blanks + "x" + blanks,
        " -- J" + blanks + "<j@x>" + blanks, "Mon Jan 1 1:1:1 " + digits + blanks + "(",
        "Changes from version" + blanks + " to " + blanks, "a-" + digits + " Debian" + blanks,
        blanks + "closes:" + blanks + "#" + digits}) {
    EXPECT_FALSE(match_trailer(line));
    (void)match_header(line);
    (void)is_old_format_start(line);
    (void)is_change(line);
    EXPECT_LE(debian_bug_numbers(line).size(), 1u);
  }
}

// dpkg's own regexes (Dpkg/Changelog/Entry/Debian.pm and Debian.pm, as the
// parser used them before) as the oracle on short generated lines, where
// std::regex is safe: every scanner accepts exactly what its regex
// accepts, with the same captures.
struct DpkgRegexes {
  static constexpr auto kIcase = std::regex::ECMAScript | std::regex::icase;
  std::regex header{R"(^(\w[-+0-9a-z.]*) \(([^\(\) \t]+)\)((?:\s+[-+0-9a-z.]+)+)\;(.*?)\s*$)", kIcase};
  std::regex trailer{
      R"(^ \-\- (.*) <(.*)>(  ?)(((\w+)\,\s*)?(\d{1,2}\s+(\w+)\s+\d{4}\s+\d{1,2}:\d\d:\d\d\s+[-+]\d{4}))\s*$)",
      kIcase};
  std::regex old_format{R"(^(?:\w+\s+\w+\s+\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}\s+[\w\s]*\d{4})\s+(?:.*)\s+[<\(](?:.*)[\)>])"
                        R"(|^(?:\w+\s+\w+\s+\d{1,2},?\s*\d{4})\s+(?:.*)\s+[<\(](?:.*)[\)>])"
                        R"(|^(?:\w[-+0-9a-z.]*) \(([^\(\) \t]+)\)\;?)"
                        R"(|^(?:[\w.+-]+)[- ](?:\S+) Debian (?:\S+))"
                        R"(|^Changes from version (?:.*) to (?:.*):)"
                        R"(|^Changes for [\w.+-]+-[\w.+-]+:?\s*$)"
                        R"(|^Old Changelog:\s*$)",
                        kIcase};
  std::regex old_format_word{R"(^(?:\d+:)?\w[\w.+~-]*:?\s*$)"};
  std::regex emacs{R"(^(?:;;\s*)?Local variables:)", kIcase}, vim{R"(^vim:)", kIcase};
  std::regex rcs{R"(^\$\w+:.*\$)"}, cblock{R"(^/\*.*\*/)"}, change{R"(^\s{2,}\S)"};
  std::regex closes{R"(closes:\s*(?:bug)?\#?\s?\d+(?:,\s*(?:bug)?\#?\s?\d+)*)", kIcase};
  std::regex lp{R"(lp:\s+\#\d+(?:,\s*\#\d+)*)", kIcase}, number{R"(\#?\s?(\d+))"};

  bool search(const std::string& s, const std::regex& r, std::smatch* m = nullptr) const {
    std::smatch ignored;
    return std::regex_search(s, m ? *m : ignored, r, std::regex_constants::match_continuous);
  }
  std::vector<std::string> bug_numbers(const std::string& s, const std::regex& list) const {
    std::vector<std::string> out;
    for (std::sregex_iterator i(s.begin(), s.end(), list), end; i != end; ++i) {
      std::string match = i->str();
      for (std::sregex_iterator n(match.begin(), match.end(), number), e; n != e; ++n) out.push_back((*n)[1]);
    }
    return out;
  }
};

std::vector<std::string> strings(const std::vector<std::string_view>& v) { return {v.begin(), v.end()}; }

// Where the scanners and the regexes disagree on `s` ("" when nowhere).
std::string disagreement(const DpkgRegexes& re, const std::string& s) {
  std::smatch m;
  auto h = match_header(s);
  if (re.search(s, re.header, &m) != bool(h) ||
      (h && (m.str(1) != h->source || m.str(2) != h->version || m.str(3) != h->distributions || m.str(4) != h->options)))
    return "header";
  auto t = match_trailer(s);
  if (re.search(s, re.trailer, &m) != bool(t) ||
      (t && (m.str(1) != t->name || m.str(2) != t->email || m.str(3) != t->spaces || m.str(4) != t->date ||
             m[5].matched != t->has_weekday)))
    return "trailer";
  if ((re.search(s, re.old_format) || re.search(s, re.old_format_word)) != is_old_format_start(s)) return "old format";
  if ((re.search(s, re.emacs) || re.search(s, re.vim)) != is_editor_variables(s)) return "editor variables";
  if ((re.search(s, re.rcs) || s.starts_with("# ") || re.search(s, re.cblock)) != is_comment(s)) return "comment";
  if (re.search(s, re.change) != is_change(s)) return "change";
  if (re.bug_numbers(s, re.closes) != strings(debian_bug_numbers(s))) return "closes";
  if (re.bug_numbers(s, re.lp) != strings(launchpad_bug_numbers(s))) return "lp";
  return "";
}

// Real line shapes with up to three random edits, or pieces strung together.
std::string generated_line(std::mt19937& rng) {
  static const std::vector<std::string> shapes = {
      "hello (1.0-1) unstable; urgency=low", " -- Jane Doe <jane@x.org>  Wed, 25 Nov 2026 00:35:05 +0100",
      "Mon Jan  1 12:00:00 1996  Jane Doe <jane@x>", "Sun Nov 3, 1996 Jane Doe (jane@x)", "hello-1.0 Debian 3",
      "Changes from version 1.0 to 1.1:", "Changes for hello-1.0:", "1:hello-1.0:",
      "  * Closes: #12, bug34, #56 LP: #1, #2", ";; Local variables:", "$Id: x $", "/* x */"};
  static const std::vector<std::string> pieces = {
      " ", "  ", "\t", "a", "Z", "1", "12", "2026", "-", "+", ".", "(", ")", ";", ",", ":", "<", ">", "#", "$", "/",
      "*", "~", "_", " -- ", "Mon", "Nov", " 25 Nov 2026 00:35:05 +0100", ", ", "urgency=low", "Debian", " debian ",
      "Changes from version ", " to ", "Changes for ", "Old Changelog:", "closes:", "bug", "lp:", "Local variables:",
      ";;", "vim:", "hello (1.0-1)", " unstable", "x", "9:"};
  std::string s;
  if (rng() % 4 == 0) {
    for (int n = rng() % 9; n > 0; --n) s += pieces[rng() % pieces.size()];
    return s;
  }
  s = shapes[rng() % shapes.size()];
  for (int n = rng() % 4; n > 0; --n) {
    size_t pos = rng() % (s.size() + 1);
    switch (rng() % 3) {
      case 0: s.insert(pos, pieces[rng() % pieces.size()]); break;
      case 1: s.erase(pos, 1 + rng() % 3); break;
      default: if (pos < s.size()) s[pos] = " a1-:(<>),#\t"[rng() % 12];
    }
  }
  return s;
}

TEST(ChangelogLines, AgreeWithDpkgRegexes) {
  const DpkgRegexes re;
  std::mt19937 rng(1);  // fixed: the same 20,000 lines every run
  int failures = 0;
  for (int i = 0; i < 20000 && failures < 20; ++i) {
    std::string line = generated_line(rng);
    std::string where = disagreement(re, line);
    if (!where.empty()) {
      ADD_FAILURE() << where << ": '" << line << "'";
      ++failures;
    }
  }
}

}  // namespace
