#include "tracker/report/inputs.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::tracker {
namespace {

template <typename F>
std::string input_error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Inputs, ReleaseDateMustBeACalendarDate) {
  EXPECT_EQ(checked_date("2026-11-20", "--release-date"), "2026-11-20");
  EXPECT_EQ(checked_date("2028-02-29", "--release-date"), "2028-02-29");
  for (const char* bad : {"2026-13-45", "2026-02-30", "2026-1-01", "20261101", "2026-11-2x", ""})
    EXPECT_EQ(input_error_of([&] { checked_date(bad, "--release-date"); }),
              std::string("--release-date: expected a date YYYY-MM-DD, got '") + bad + "'");
}

TEST(Inputs, TrackResultsOfTheWrongShapeNameTheFile) {
  TempDir dir("hapkg-inputs-test");
  std::string f = dir.path() + "/track.json";
  auto error_for = [&](const std::string& text) {
    write_file_atomic(f, text);
    return input_error_of([&] { read_track_results(f); });
  };
  const std::string want = f + ": expected the array printed by `hapkg track --json`";
  EXPECT_EQ(error_for(R"({"package": "x"})"), want + ", got a JSON object");
  EXPECT_EQ(error_for(R"(["x"])"), want + ": element 1 is a JSON string, not an object");
  EXPECT_EQ(error_for(R"([{"package": "x"}, {"version": 1}])"), want + ": element 2 has no \"package\"");
  EXPECT_EQ(error_for(R"([{"package": 7}])"), want + ": element 1 \"package\" is not a string");
  EXPECT_EQ(error_for(R"([{"package": "x", "upstream-version": 2.1}])"),
            want + ": element 1 \"upstream-version\" is not a string");
  EXPECT_EQ(error_for("[{"), f + ": not JSON (byte 3)");
  EXPECT_EQ(error_for(R"([{"package": "x", "upstream-version": "2"}])"), "");
  EXPECT_EQ(input_error_of([&] { read_track_results(dir.path()); }), dir.path() + ": is a directory, not a JSON file");
}

TEST(Inputs, BlueprintsMustBeFiles) {
  TempDir dir("hapkg-inputs-test");
  EXPECT_EQ(input_error_of([&] { read_blueprints({dir.path()}, false); }),
            dir.path() + ": is a directory; give the blueprints' work-item files");
  write_file_atomic(dir.path() + "/bp.txt", "Work items:\n[a] x: DONE\n");
  EXPECT_EQ(read_blueprints({dir.path() + "/bp.txt"}, false).items.size(), 1u);
}

TEST(Inputs, MismatchesNameFileAndLine) {
  Report r;
  WorkItemList l;
  parse_workitems("[a] one: DONE\n[a] two: TODO\n[a] three: POSTPONED\n[a] four: DONE\n", "bp.txt", "bp", false, l);
  r.items = l.items;
  r.checks = {CheckOutcome{false, "x not in S"}, CheckOutcome{false, "y not in S"}, CheckOutcome{true, "z 1 in S"},
              std::nullopt};
  EXPECT_EQ(mismatches(r),
            (std::vector<std::string>{"bp.txt:1: written DONE but the check says not done: x not in S"}));
  r.checks[1] = CheckOutcome{true, "y 1 in S"};
  EXPECT_EQ(mismatches(r).size(), 2u);
}

TEST(Inputs, NoHistorySourceIsNoHistory) {
  EXPECT_TRUE(load_history({}, {"bp.txt"}).empty());
}

}  // namespace
}  // namespace hapkg::tracker
