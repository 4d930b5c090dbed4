// What the pipeline prints after a run: the summary table (a failure points
// at its log), --json, plan and status lines, and JUnit XML that a real
// XML consumer can read (escaped, with failure/skipped counts).
#include "pipeline/display.h"

#include <gtest/gtest.h>

namespace pl = hapkg::pipeline;

namespace {

pl::RunSummary summary() {
  pl::RunSummary s;
  s.outcomes = {{"pacemaker", "fetch", "ok", 1.25, "", "/s/logs/pacemaker/fetch.log"},
                {"pacemaker", "patch", "failed", 0.5, "fix<1>.patch: hunk 2 \"FAILED\" & more",
                 "/s/logs/pacemaker/patch.log"},
                {"crmsh", "build", "blocked", 0, "needs pacemaker", ""}};
  s.state = "/s";
  s.archive = "/s/archive";
  s.logs = "/s/logs";
  s.ok = false;
  return s;
}

TEST(RenderSummary, OneLinePerOutcomeAndFailurePointsAtItsLog) {
  std::string t = pl::render_summary(summary());
  EXPECT_EQ(t.rfind("PACKAGE ", 0), 0u);
  EXPECT_NE(t.find("pacemaker          fetch     ok       1.2s    \n"), std::string::npos) << t;
  EXPECT_NE(t.find("(log /s/logs/pacemaker/patch.log)"), std::string::npos) << t;
  EXPECT_NE(t.find("blocked  0.0s    needs pacemaker\n"), std::string::npos) << t;
  EXPECT_NE(t.find("report:  (not written)\n"), std::string::npos);
  EXPECT_NE(t.find("pipeline: FAILED\n"), std::string::npos);
  auto ok = summary();
  ok.ok = true;
  ok.report = "/s/report.html";
  std::string good = pl::render_summary(ok);
  EXPECT_NE(good.find("report:  /s/report.html\n"), std::string::npos);
  EXPECT_NE(good.find("pipeline: ok\n"), std::string::npos);
}

TEST(SummaryJson, CarriesEveryStepAndWhereThingsAre) {
  auto j = pl::summary_json(summary());
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["archive"], "/s/archive");
  ASSERT_EQ(j["steps"].size(), 3u);
  EXPECT_EQ(j["steps"][1]["result"], "failed");
  EXPECT_EQ(j["steps"][1]["log"], "/s/logs/pacemaker/patch.log");
  EXPECT_DOUBLE_EQ(j["steps"][0]["seconds"].get<double>(), 1.25);
  // Round-trips through text: what --json prints parses back.
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

TEST(RenderPlanAndStatus, RunOrSkipWithTheReason) {
  std::string plan = pl::render_plan({{"pacemaker", "fetch", false, "up to date"},
                                      {"pacemaker", "patch", true, "inputs changed"}});
  EXPECT_EQ(plan, "pacemaker          fetch     skip up to date\npacemaker          patch     run  inputs changed\n");
  pl::StepRecord r;
  r.package = "corosync";
  r.step = "version";
  r.result = "failed";
  r.finished = "2026-12-01T22:00:00Z";
  r.seconds = 3;
  r.detail = "version refused";
  EXPECT_EQ(pl::render_status({r}), "corosync           version   failed  2026-12-01T22:00:00Z 3.0s version refused\n");
  EXPECT_EQ(pl::render_status({}), "");
}

TEST(RenderJunit, CountsAndEscapes) {
  std::string x = pl::render_junit(summary().outcomes);
  EXPECT_NE(x.find("tests=\"3\" failures=\"1\" skipped=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("<testcase classname=\"pipeline.pacemaker\" name=\"fetch\""), std::string::npos);
  EXPECT_NE(x.find("fix&lt;1&gt;.patch: hunk 2 &quot;FAILED&quot; &amp; more"), std::string::npos) << x;
  EXPECT_EQ(x.find("fix<1>"), std::string::npos);
  EXPECT_NE(x.find("<skipped message=\"blocked: needs pacemaker\"/>"), std::string::npos);
  EXPECT_EQ(x.substr(x.size() - 13), "</testsuite>\n");
}

}  // namespace
