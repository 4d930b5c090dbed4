// Oracle test: every /usr/share/doc/*/changelog.Debian.gz on the machine
// through hapkg's changelog parser and through dpkg's own parser
// (Dpkg::Changelog::Debian, what dpkg-parsechangelog runs; see
// changelog_oracle.pl). Where dpkg parses without warnings, every entry's
// fields match and render(parse(x)) == x; where dpkg warns, hapkg refuses
// the file naming the same line. A sample is also checked against the
// dpkg-parsechangelog program itself, so the batch driver cannot drift.
#include <gtest/gtest.h>

#include <glob.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "deb/changelog.h"
#include "util/error.h"
#include "util/process.h"

namespace {

using namespace hapkg;

struct OracleEntry {
  std::vector<std::string> fields;  // source version dists urgency maintainer date timestamp closes changes
};
struct OracleFile {
  std::vector<std::pair<size_t, std::string>> errors;
  std::vector<OracleEntry> entries;
  bool tail = false;
};

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
  }
  return out;
}

std::vector<std::string> split_tabs(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    size_t t = s.find('\t', pos);
    out.push_back(unescape(s.substr(pos, t == std::string::npos ? std::string::npos : t - pos)));
    if (t == std::string::npos) break;
    pos = t + 1;
  }
  return out;
}

std::vector<std::string> installed_changelogs() {
  glob_t g{};
  std::vector<std::string> out;
  if (::glob("/usr/share/doc/*/changelog.Debian.gz", 0, nullptr, &g) == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  return out;
}

std::map<std::string, OracleFile> run_oracle(const std::vector<std::string>& files) {
  const char* src = std::getenv("HAPKG_SOURCE_DIR");
  std::string script = std::string(src ? src : ".") + "/tests/deb/changelog_oracle.pl";
  std::vector<std::string> argv = {"perl", script};
  argv.insert(argv.end(), files.begin(), files.end());
  ProcessResult r = run_process(argv);
  if (r.exit_status != 0) throw std::runtime_error("oracle failed: " + r.err);
  std::map<std::string, OracleFile> out;
  std::istringstream in(r.out);
  OracleFile* cur = nullptr;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("F ")) cur = &out[unescape(line.substr(2))];
    else if (line.starts_with("E ")) {
      size_t tab = line.find('\t');
      cur->errors.emplace_back(std::stoul(line.substr(2, tab - 2)), unescape(line.substr(tab + 1)));
    } else if (line.starts_with("N ")) cur->entries.push_back({split_tabs(line.substr(2))});
    else if (line.starts_with("T ")) cur->tail = line == "T 1";
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

// The line number in "file:N: problem", 0 when there is none.
size_t error_line(const std::string& what, const std::string& file) {
  if (!what.starts_with(file + ":")) return 0;
  return std::strtoul(what.c_str() + file.size() + 1, nullptr, 10);
}

TEST(ChangelogOracle, EveryInstalledChangelogAgreesWithDpkg) {
  std::vector<std::string> files = installed_changelogs();
  ASSERT_GT(files.size(), 50u) << "too few changelogs installed to prove anything";
  auto oracle = run_oracle(files);
  ASSERT_EQ(oracle.size(), files.size());
  size_t compared = 0, entries = 0, rejected = 0, same_line = 0, with_tail = 0;
  for (const auto& file : files) {
    const OracleFile& o = oracle.at(file);
    std::string text = deb::read_changelog_text(file);
    if (!o.errors.empty()) {
      ++rejected;
      try {
        deb::parse_changelog(text, file);
        ADD_FAILURE() << file << ": dpkg warns (line " << o.errors.front().first << ": " << o.errors.front().second
                      << ") but hapkg accepted it";
      } catch (const InputError& e) {
        size_t line = error_line(e.what(), file);
        EXPECT_NE(line, 0u) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        if (line == o.errors.front().first) ++same_line;
        else
          ADD_FAILURE() << file << ": dpkg names line " << o.errors.front().first << " (" << o.errors.front().second
                        << "), hapkg: " << e.what();
      }
      continue;
    }
    deb::Changelog cl;
    try {
      cl = deb::parse_changelog(text, file);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dpkg parses it without warnings, hapkg refused: " << e.what();
      continue;
    }
    ++compared;
    with_tail += o.tail;
    EXPECT_EQ(!cl.tail.empty(), o.tail) << file;
    EXPECT_EQ(deb::render_changelog(cl), text) << file << ": render(parse(x)) != x";
    ASSERT_EQ(cl.entries.size(), o.entries.size()) << file;
    for (size_t i = 0; i < cl.entries.size(); ++i) {
      const auto& e = cl.entries[i];
      const auto& f = o.entries[i].fields;
      ASSERT_EQ(f.size(), 9u);
      std::string at = file + " entry " + std::to_string(i + 1) + " (" + e.version + ")";
      EXPECT_EQ(e.source, f[0]) << at;
      EXPECT_EQ(e.version, f[1]) << at;
      EXPECT_EQ(e.distribution(), f[2]) << at;
      EXPECT_EQ(e.urgency(), f[3]) << at;
      EXPECT_EQ(e.maintainer, f[4]) << at;
      EXPECT_EQ(e.date, f[5]) << at;
      EXPECT_EQ(std::to_string(e.timestamp()), f[6]) << at;
      EXPECT_EQ(join(e.closes()), f[7]) << at;
      EXPECT_EQ(e.dpkg_changes(), f[8]) << at;
      ++entries;
    }
  }
  std::cout << "changelog oracle: " << files.size() << " files; " << compared << " parsed by both and compared ("
            << entries << " entries, " << with_tail << " with an old-format tail); " << rejected
            << " rejected by both (dpkg warns), " << same_line << " naming the same line\n";
  RecordProperty("compared", static_cast<int>(compared));
  RecordProperty("rejected", static_cast<int>(rejected));
}

// The batch driver against the real dpkg-parsechangelog program on a
// sample, and `hapkg changelog show` against its output.
TEST(ChangelogOracle, BatchDriverMatchesDpkgParsechangelog) {
  std::vector<std::string> files = installed_changelogs();
  ASSERT_FALSE(files.empty());
  std::vector<std::string> sample;
  for (size_t i = 0; i < files.size(); i += std::max<size_t>(1, files.size() / 40)) sample.push_back(files[i]);
  auto oracle = run_oracle(sample);
  size_t checked = 0;
  for (const auto& file : sample) {
    const OracleFile& o = oracle.at(file);
    if (!o.errors.empty() || o.entries.empty()) continue;
    ProcessResult r = run_process({"dpkg-parsechangelog", "-l", file});
    r.out.insert(0, "\n");
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.err, "") << file;
    const auto& f = o.entries.front().fields;
    for (const auto& [name, value] : {std::pair<std::string, std::string>{"Source", f[0]}, {"Version", f[1]},
                                      {"Distribution", f[2]}, {"Urgency", f[3]}, {"Maintainer", f[4]},
                                      {"Date", f[5]}, {"Timestamp", f[6]}})
      EXPECT_NE(r.out.find("\n" + name + ": " + value + "\n"), std::string::npos) << file << ": " << name;
    // `hapkg changelog show` prints what dpkg-parsechangelog prints, byte for byte.
    const char* bindir = std::getenv("HAPKG_BINARY_DIR");
    ProcessResult ours = run_process({std::string(bindir ? bindir : ".") + "/tools/cli/hapkg", "changelog", "show", file});
    EXPECT_EQ(ours.exit_status, 0) << ours.err;
    EXPECT_EQ("\n" + ours.out, r.out) << file;
    ++checked;
  }
  EXPECT_GT(checked, 5u);
}

}  // namespace
