// Oracle test: version comparison against `dpkg --compare-versions` run at
// test time, on the traps of the reference notes plus generated pairs
// (epochs, ~, +, letters vs digits, empty parts, invalid strings). For every
// pair and every relation dpkg knows, the library's exit code must equal
// dpkg's; the `hapkg version compare` binary is checked the same way on the
// six word relations for every pair and on all relations for a sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>

#include "deb/version.h"
#include "util/process.h"

namespace {

using hapkg::run_process;

const std::vector<std::string> kAllOps = {"lt", "le", "eq", "ne", "ge", "gt", "<<", "<=", "=", ">=", ">>",
                                          "<",  ">",  "lt-nl", "le-nl", "ge-nl", "gt-nl"};
const std::vector<std::string> kWordOps = {"lt", "le", "eq", "ne", "ge", "gt"};

// debian-packaging.md §2, each verified with dpkg by hand once.
const std::vector<std::pair<std::string, std::string>> kTraps = {
    {"1.0~rc1-1", "1.0-1"},
    {"1.0-1", "1.0-1ubuntu1"},
    {"1.0-1ubuntu1~ppa1", "1.0-1ubuntu1"},
    {"1.0-1ubuntu1", "1.0-1ubuntu1ppa1"},
    {"1.0-1ubuntu1ppa1", "1.0-1ubuntu2"},
    {"1.0-1ppa1", "1.0-1ubuntu1"},
    {"1.0-1+ppa1", "1.0-1ubuntu1"},
    {"1.0-1build1", "1.0-1ubuntu1"},
    {"1.0-0ubuntu1", "1.0-1"},
    {"1:4.12.0-2ubuntu1", "4.13.0-1"},
    {"1.0-1ubuntu1~22.04.1", "1.0-1ubuntu1~24.04.1"},
    {"1.0-1ubuntu1~24.04.1", "1.0-1ubuntu1"},
    {"1.0-1~bpo12+1", "1.0-1"},
    {"1.0-1ubuntu0.22.04.1", "1.0-1ubuntu1"},
    {"1.0+dfsg-1", "1.0-1"},
    {"1.0-1ubuntu1.1", "1.0-1ubuntu2"},
    {"3.0.1-1~ppa1", "3.0.1-0ubuntu1"},
    {"1.0a", "1.0"},
    {"1.0.a", "1.0a"},
    {"1.0", "1.0-0"},
    {"3.1+really2.0-2ubuntu2", "3.1-1"},
    {"2.0-2ubuntu0.1", "2.0-2ubuntu1"},
    {"2.0-3build1", "2.0-3ubuntu1"},
};

// Building blocks for generated versions; some combinations are invalid on
// purpose (dpkg must then exit 2, or warn and go on, and so must we).
const std::vector<std::string> kEpochs = {"", "", "", "0:", "1:", "2:", "10:"};
const std::vector<std::string> kBadEpochs = {":", "a:", "-1:", "99999999999:", " 1:"};
const std::vector<std::string> kUpstreams = {
    "1.0", "1.0", "1.00", "01.0", "1", "1.0.0", "1.0~rc1", "1.0~~", "1.0~", "1.0+", "1.0+dfsg", "1.0+dfsg1",
    "1.0a", "1.0.a", "1.0A", "1.0-beta", "1..0", "1.0.", "1:2", "10", "9", "0", "1.0~rc1+dfsg",
    "2.0", "1.0+really0.9", "1.0~a~b", "1.0z", "1.0Z", "1.0.9", "1.0.10", "00"};
const std::vector<std::string> kBadUpstreams = {"", "1.0 2", "a1.0", "1_0", "1.0:1", "1.0\t", "é1"};
const std::vector<std::string> kRevisions = {"",       "",        "-1",     "-0",        "-1ubuntu1", "-1ubuntu2",
                                             "-1~ppa1", "-1+b1",  "-1build1", "-0ubuntu1", "-1ubuntu0.22.04.1",
                                             "-2",     "-10",     "-1.1",   "-1~bpo12+1", "-a",        "-1ppa1",
                                             "-1+ppa1", "-1~",    "-1-2",   "-1.0~rc1"};
const std::vector<std::string> kBadRevisions = {"-", "-1_1", "-1:1", "-1 1"};

std::vector<std::pair<std::string, std::string>> all_pairs() {
  std::vector<std::pair<std::string, std::string>> pairs = kTraps;
  for (const auto& [a, b] : kTraps) pairs.emplace_back(b, a);
  std::mt19937 rng(20261125);  // fixed seed: the same pairs on every run
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  // About one version in six has an invalid part.
  auto part = [&](const std::vector<std::string>& good, const std::vector<std::string>& bad) {
    return rng() % 18 == 0 ? pick(bad) : pick(good);
  };
  auto gen = [&] { return part(kEpochs, kBadEpochs) + part(kUpstreams, kBadUpstreams) + part(kRevisions, kBadRevisions); };
  std::set<std::pair<std::string, std::string>> seen(pairs.begin(), pairs.end());
  while (pairs.size() < 600) {
    std::string a = gen();
    // Half the pairs differ in one part only, where the ordering rules bite.
    std::string b = rng() % 2 ? gen() : a.substr(0, a.rfind('-')) + part(kRevisions, kBadRevisions);
    if (seen.insert({a, b}).second) pairs.emplace_back(a, b);
  }
  pairs.emplace_back("", "1.0");
  pairs.emplace_back("1.0", "");
  pairs.emplace_back("", "");
  pairs.emplace_back("<unknown>", "1.0");
  return pairs;
}

int dpkg_exit(const std::string& a, const std::string& op, const std::string& b) {
  return run_process({"dpkg", "--compare-versions", a, op, b}).exit_status;
}

std::string hapkg_binary() {
  const char* dir = std::getenv("HAPKG_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/tools/cli/hapkg";
}

TEST(VersionOracle, LibraryMatchesDpkgForEveryRelation) {
  auto pairs = all_pairs();
  ASSERT_GE(pairs.size(), 500u);
  size_t checks = 0, invalid = 0;
  for (const auto& [a, b] : pairs) {
    for (const auto& op : kAllOps) {
      int want = dpkg_exit(a, op, b);
      ASSERT_NE(want, 127) << "dpkg not found";
      int got = hapkg::deb::dpkg_compare_versions(a, op, b).exit_code;
      EXPECT_EQ(got, want) << "'" << a << "' " << op << " '" << b << "'";
      invalid += want == 2;
      ++checks;
    }
  }
  std::cout << "version oracle (library): " << pairs.size() << " pairs, " << checks << " comparisons, " << invalid
            << " answered 2 (invalid) by dpkg\n";
}

TEST(VersionOracle, CliMatchesDpkg) {
  auto pairs = all_pairs();
  size_t checks = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    const auto& ops = i % 12 == 0 ? kAllOps : kWordOps;
    for (const auto& op : ops) {
      auto r = run_process({hapkg_binary(), "version", "compare", a, op, b});
      EXPECT_EQ(r.exit_status, dpkg_exit(a, op, b)) << "'" << a << "' " << op << " '" << b << "': " << r.err;
      EXPECT_EQ(r.out, "");
      if (r.exit_status == 2) {
        // One error line (after dpkg's warnings, if any), ending the output.
        size_t at = r.err.find("hapkg: error: ");
        ASSERT_NE(at, std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\n', at), r.err.size() - 1) << r.err;
      }
      ++checks;
    }
  }
  std::cout << "version oracle (hapkg version compare): " << checks << " comparisons\n";
}

// The ordering a sort with debVS gives is the one dpkg gives, pair by pair.
TEST(VersionOracle, SortedTrapsAgree) {
  std::vector<std::string> vs;
  for (const auto& [a, b] : kTraps) vs.insert(vs.end(), {a, b});
  std::sort(vs.begin(), vs.end(),
            [](const std::string& a, const std::string& b) { return hapkg::deb::compare_versions(a, b) < 0; });
  for (size_t i = 1; i < vs.size(); ++i) EXPECT_EQ(dpkg_exit(vs[i - 1], "le", vs[i]), 0) << vs[i - 1] << " " << vs[i];
}

}  // namespace
