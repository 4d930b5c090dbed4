#include "tracker/report/checks.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::tracker {
namespace {

WorkItem item(const std::string& check, std::size_t line = 3) {
  WorkItem w;
  w.check = check;
  w.file = "bp.txt";
  w.line = line;
  return w;
}

std::string error_of(CheckContext& ctx, const WorkItem& w) {
  try {
    ctx.evaluate(w);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Checks, ArchiveHasWithAndWithoutAVersion) {
  TempDir dir("hapkg-checks-test");
  std::string sources = dir.path() + "/Sources";
  write_file_atomic(sources, "Package: pacemaker\nVersion: 2.1.5-1\n\nPackage: pacemaker\nVersion: 2.1.6-1\n");
  CheckContext ctx;
  EXPECT_TRUE(ctx.evaluate(item("archive-has pacemaker in " + sources)).holds);
  auto c = ctx.evaluate(item("archive-has pacemaker >> 2.1.5-1 in " + sources));
  EXPECT_TRUE(c.holds);
  EXPECT_EQ(c.detail, "pacemaker 2.1.6-1 in " + sources);  // the newest version counts
  EXPECT_FALSE(ctx.evaluate(item("archive-has pacemaker >= 3 in " + sources)).holds);
  c = ctx.evaluate(item("archive-has corosync in " + sources));
  EXPECT_FALSE(c.holds);
  EXPECT_EQ(c.detail, "corosync not in " + sources);
}

TEST(Checks, ErrorsNameTheWorkItemLine) {
  CheckContext ctx;
  EXPECT_EQ(error_of(ctx, item("frobnicate x")), "bp.txt:3: check {frobnicate x}: unknown check 'frobnicate' (archive-has, packaged)");
  EXPECT_EQ(error_of(ctx, item("archive-has x ~= 1 in S", 7)),
            "bp.txt:7: check {archive-has x ~= 1 in S}: expected {archive-has SRC OP VERSION in ...}");
  // The index's own error, prefixed with the item that names the index.
  std::string e = error_of(ctx, item("archive-has x in /nonexistent/Sources", 9));
  EXPECT_EQ(e.rfind("bp.txt:9: check {archive-has x in /nonexistent/Sources}: ", 0), 0u) << e;
  EXPECT_NE(e.find("/nonexistent/Sources"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_EQ(error_of(ctx, item("packaged >= upstream x")),
            "bp.txt:3: check {packaged >= upstream x}: needs the output of `hapkg track --json` (--track FILE)");
}

TEST(Checks, PackagedAgainstTrackResults) {
  CheckContext ctx(nlohmann::json::parse(
      R"([{"package": "pacemaker", "debian-mangled-uversion": "2.1.5", "upstream-version": "2.1.6"},
          {"package": "corosync", "debian-mangled-uversion": "3.1.7", "upstream-version": "3.1.7"},
          {"package": "dlm", "debian-mangled-uversion": "4.2"}])"));
  EXPECT_FALSE(ctx.evaluate(item("packaged >= upstream pacemaker")).holds);
  EXPECT_TRUE(ctx.evaluate(item("packaged >= upstream corosync")).holds);
  EXPECT_EQ(ctx.evaluate(item("packaged >= upstream dlm")).detail, "dlm: no upstream version known");
  EXPECT_EQ(ctx.evaluate(item("packaged >= upstream drbd")).detail, "drbd not in the track results");
}

}  // namespace
}  // namespace hapkg::tracker
