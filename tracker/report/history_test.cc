#include "tracker/report/history.h"

#include "util/tempdir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "tracker/report/report.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"

using namespace hapkg::tracker;
using hapkg::TempDir;
namespace fs = std::filesystem;

namespace {

const char* kTricky =
    "Work items for m1:\n[jdoe] fix http://x: y: todo\r\nmerge [debian] changes: InProgress\n\n"
    "[ann]   spaces   :   blocked   \n[josé] ñame: Postpone\n[] e:\nWork items:\n[x] a {archive-has y in z}: DONE\n";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hapkg::Error& e) {
    return e.what();
  }
  return "";
}


void put(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  hapkg::write_file_atomic(path, text);
}

// The reference: every file parsed in full, day by day.
std::vector<DayCounts> full_parse(const std::string& dir, bool lenient) {
  std::vector<DayCounts> out;
  std::vector<fs::path> days;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) days.push_back(e.path());
  std::sort(days.begin(), days.end());
  for (auto& d : days) {
    std::vector<fs::path> files;
    for (auto& f : fs::directory_iterator(d)) files.push_back(f.path());
    std::sort(files.begin(), files.end());
    WorkItemList l;
    for (auto& f : files) read_workitems(f.string(), lenient, l);
    out.push_back({d.filename().string(), count(l.items)});
  }
  return out;
}

bool same(const std::vector<DayCounts>& a, const std::vector<DayCounts>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].date != b[i].date || a[i].counts != b[i].counts) return false;
  return true;
}

}  // namespace

TEST(CountWorkItems, SameAsTheFullParser) {
  WorkItemList l;
  parse_workitems(kTricky, "bp.txt", "bp", false, l);
  Counts c{};
  EXPECT_EQ(count_workitems(kTricky, "bp.txt", false, c), 0u);
  EXPECT_EQ(c, count(l.items));
  EXPECT_EQ(c[static_cast<int>(ItemStatus::kTodo)], 2);
}

TEST(CountWorkItems, SameErrorsAndProblems) {
  for (const char* bad : {"[a] ok: DONE\n\nno status\n", "[a] x: FINISHED\n", "\n[a x: DONE\n", "[a] : DONE\n"}) {
    Counts c{};
    std::string full = error_of([&] {
      WorkItemList l;
      parse_workitems(bad, "bp.txt", "bp", false, l);
    });
    EXPECT_FALSE(full.empty()) << bad;
    EXPECT_EQ(error_of([&] { count_workitems(bad, "bp.txt", false, c); }), full) << bad;
    WorkItemList l;
    parse_workitems(bad, "bp.txt", "bp", true, l);
    std::vector<ParseProblem> probs;
    Counts lc{};
    EXPECT_EQ(count_workitems(bad, "bp.txt", true, lc, &probs), l.problems.size());
    ASSERT_EQ(probs.size(), l.problems.size());
    EXPECT_EQ(probs[0].where, l.problems[0].where);
    EXPECT_EQ(probs[0].problem, l.problems[0].problem);
    EXPECT_EQ(lc, count(l.items));
  }
}

// Snapshots with hard links, byte-identical copies and changed files give
// the full parser's counts on any number of threads.
TEST(HistoryDir, MatchesFullParseWithLinksAndCopies) {
  TempDir t{"hapkg-history"};
  std::string h = t.path() + "/hist";
  put(h + "/2026-05-01/a.txt", "Work items:\n[x] one: TODO\n[y] two: TODO\n");
  put(h + "/2026-05-01/b.txt", kTricky);
  put(h + "/2026-05-02/a.txt", "Work items:\n[x] one: DONE\n[y] two: TODO\n");
  ASSERT_EQ(link((h + "/2026-05-01/b.txt").c_str(), (h + "/2026-05-02/b.txt").c_str()), 0);
  put(h + "/2026-05-03/a.txt", "Work items:\n[x] one: DONE\n[y] two: TODO\n");  // a copy
  put(h + "/2026-05-03/b.txt", std::string(kTricky) + "new: done\n");
  put(h + "/2026-05-03/c.txt", "late: blocked\n");
  put(h + "/not-a-date/a.txt", "ignored\n");
  fs::remove_all(h + "/not-a-date");
  put(h + "/2026-05-04/b.txt", kTricky);  // back to the old text
  auto want = full_parse(h, false);
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    HistoryStats st;
    auto got = history_from_dir(h, {false, "", threads}, &st);
    EXPECT_TRUE(same(got, want)) << threads;
    EXPECT_EQ(st.days, 4u);
    EXPECT_EQ(st.files, 8u);
    EXPECT_EQ(st.parsed + st.same_inode + st.same_bytes, 8u);
  }
  HistoryStats st;
  history_from_dir(h, {false, "", 1}, &st);
  EXPECT_EQ(st.same_inode, 1u);  // 05-02/b.txt
  EXPECT_EQ(st.same_bytes, 1u);  // 05-03/a.txt
  ASSERT_EQ(want.size(), 4u);
  EXPECT_EQ(want[1].counts[static_cast<int>(ItemStatus::kDone)], 2);
}

// An error names the first bad file:line in date order, whichever thread saw it.
TEST(HistoryDir, FirstErrorInDateOrder) {
  TempDir t{"hapkg-history"};
  std::string h = t.path();
  for (int d = 1; d <= 9; ++d) put(h + "/2026-05-0" + std::to_string(d) + "/a.txt", "ok: DONE\n");
  put(h + "/2026-05-03/b.txt", "ok: DONE\nbad: NOPE\n");
  put(h + "/2026-05-08/b.txt", "bogus\n");
  for (unsigned threads : {1u, 2u, 4u}) {
    std::string e = error_of([&] { history_from_dir(h, {false, "", threads}); });
    EXPECT_EQ(e.rfind(h + "/2026-05-03/b.txt:2: unknown status 'NOPE'", 0), 0u) << e;
  }
  auto lenient = history_from_dir(h, {true, "", 2});
  EXPECT_EQ(lenient[2].counts[static_cast<int>(ItemStatus::kDone)], 2);
}

TEST(HistoryDir, CacheUsedOnlyWhenEveryFileMatches) {
  TempDir t{"hapkg-history"};
  std::string h = t.path() + "/hist", cache = t.path() + "/cache";
  put(h + "/2026-05-01/a.txt", "x: TODO\ny: TODO\n");
  put(h + "/2026-05-02/a.txt", "x: DONE\ny: TODO\n");
  HistoryStats st;
  auto first = history_from_dir(h, {false, cache, 2}, &st);
  EXPECT_EQ(st.cached_days, 0u);
  ASSERT_TRUE(fs::exists(cache));
  auto second = history_from_dir(h, {false, cache, 2}, &st);
  EXPECT_EQ(st.cached_days, 2u);
  EXPECT_EQ(st.parsed, 0u);
  EXPECT_TRUE(same(first, second));
  // Same size, mtime put back: the ctime still differs, so it is counted again.
  std::string f = h + "/2026-05-02/a.txt";
  struct stat before;
  ASSERT_EQ(stat(f.c_str(), &before), 0);
  int fd = open(f.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(pwrite(fd, "DONE", 4, 11), 4);  // "y: TODO" -> "y: DONE"
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(futimens(fd, times), 0);
  close(fd);
  auto third = history_from_dir(h, {false, cache, 2}, &st);
  EXPECT_EQ(st.cached_days, 1u);
  EXPECT_EQ(third[1].counts[static_cast<int>(ItemStatus::kDone)], 2);
  EXPECT_TRUE(same(third, full_parse(h, false)));
  // A new file in a snapshot, a damaged cache, a cache of another directory: all recounted.
  put(h + "/2026-05-01/b.txt", "z: BLOCKED\n");
  auto fourth = history_from_dir(h, {false, cache, 1}, &st);
  EXPECT_EQ(st.cached_days, 1u);
  EXPECT_TRUE(same(fourth, full_parse(h, false)));
  std::string text = hapkg::read_file(cache);
  hapkg::write_file_atomic(cache, text.substr(0, text.size() / 2));
  history_from_dir(h, {false, cache, 1}, &st);
  EXPECT_EQ(st.cached_days, 0u);
  fs::copy(h, t.path() + "/other", fs::copy_options::recursive);
  history_from_dir(t.path() + "/other", {false, cache, 1}, &st);
  EXPECT_EQ(st.cached_days, 0u);
  // Strict mode does not take a lenient run's counts of a snapshot with problems.
  put(h + "/2026-05-01/b.txt", "z: BLOCKED\nbogus\n");
  history_from_dir(h, {true, cache, 1}, &st);
  EXPECT_NE(error_of([&] { history_from_dir(h, {false, cache, 1}); }).find("b.txt:2: not a work item"),
            std::string::npos);
}

TEST(HistoryGit, LastCommitOfEachDayCarriedForward) {
  TempDir t{"hapkg-history"};
  std::string repo = t.path() + "/repo";
  fs::create_directories(repo + "/bps");
  auto git = [&](std::vector<std::string> args, const std::string& date = "") {
    hapkg::ProcessOptions o;
    o.cwd = repo;
    if (!date.empty()) {
      std::vector<std::string> env;
      for (char** e = environ; *e; ++e) env.push_back(*e);
      env.push_back("GIT_COMMITTER_DATE=" + date + "T12:00:00+0000");
      env.push_back("GIT_AUTHOR_DATE=" + date + "T12:00:00+0000");
      o.env = env;
    }
    args.insert(args.begin(), {"git", "-c", "user.name=t", "-c", "user.email=t@t"});
    auto r = hapkg::run_process(args, o);
    ASSERT_EQ(r.exit_status, 0) << r.err;
  };
  git({"init", "-q"});
  auto commit = [&](const std::string& date, const std::string& a, const std::string& b) {
    put(repo + "/bps/a b.txt", a);
    if (b.empty()) fs::remove(repo + "/bps/b.txt");
    else put(repo + "/bps/b.txt", b);
    git({"add", "-A"});
    git({"commit", "-q", "-m", date}, date);
  };
  commit("2026-05-01", "x: TODO\ny: TODO\n", "z: TODO\n");
  commit("2026-05-01", "x: DONE\ny: TODO\n", "z: TODO\n");  // the day's last commit wins
  commit("2026-05-04", "x: DONE\ny: DONE\n", "z: TODO\n");
  commit("2026-05-05", "x: DONE\ny: DONE\n", "");  // b.txt removed
  put(repo + "/other.txt", "not asked for\n");
  git({"add", "-A"});
  git({"commit", "-q", "-m", "other"}, "2026-05-09");
  auto h = history_from_git({repo + "/bps/a b.txt", repo + "/bps/b.txt"}, false);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0].date, "2026-05-01");
  EXPECT_EQ(h[0].counts[0], 2);  // todo
  EXPECT_EQ(h[0].counts[1], 1);  // done
  EXPECT_EQ(h[2].date, "2026-05-03");
  EXPECT_EQ(h[2].counts, h[0].counts);
  EXPECT_EQ(h[3].counts[1], 2);
  EXPECT_EQ(h[4].counts[0], 0);
  // A bad line in the history names the file and the commit.
  commit("2026-05-06", "x: DONE\ny: WHAT\n", "");
  std::string e = error_of([&] { history_from_git({repo + "/bps/a b.txt"}, false); });
  EXPECT_NE(e.find("bps/a b.txt@"), std::string::npos) << e;
  EXPECT_NE(e.find(":2: unknown status 'WHAT'"), std::string::npos) << e;
}
