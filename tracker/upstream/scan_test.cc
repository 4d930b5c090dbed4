#include "tracker/upstream/scan.h"

#include <gtest/gtest.h>

using namespace hapkg::tracker;

static WatchLine line(const std::string& text) { return parse_watch("version=4\n" + text + "\n", "w", "hello").lines.at(0); }

TEST(Scan, HtmlSearchSortsLikeUscan) {
  WatchLine w = line("http://h/d/ hello-@ANY_VERSION@@ARCHIVE_EXT@");
  std::string page =
      "<a href=\"hello-1.9.tar.gz\">x</a><A HREF='/d/hello-1.10.tar.gz'>y</A>"
      "<a class=x href=hello-1.10.tar.xz>z</a><!-- <a href=\"hello-9.tar.gz\"> -->"
      "<a href=\"../d/hello-1.2~rc1.tar.gz\">w</a><a href=\"other-3.tar.gz\">o</a>";
  std::string urlbase;
  std::vector<std::string> patterns{"(?:(?:http://h)?\\/d\\/)?" + w.filepattern};
  auto c = html_candidates(w, page, "http://h/d/", patterns, urlbase, w.uversionmangle);
  sort_candidates(c);
  ASSERT_GE(c.size(), 4u);
  EXPECT_EQ(c[0].version, "1.10");
  EXPECT_EQ(c[0].href, "http://h/d/hello-1.10.tar.xz");  // xz beats gz for the same version
  EXPECT_EQ(c.back().version, "1.2~rc1");
}

TEST(Scan, PlainSearchAndGitRefs) {
  WatchLine w = line("opts=searchmode=plain http://h/j.json hello-(\\d[\\d.]*)\\.tar\\.gz");
  auto c = plain_candidates(w, R"({"f":["hello-2.0.tar.gz","hello-10.0.tar.gz"]})", {w.filepattern});
  sort_candidates(c);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].version, "10.0");  // every group joined, like uscan's parse_href
  EXPECT_EQ(c[0].href, "hello-10.0.tar.gz");

  WatchLine g = line("opts=mode=git,uversionmangle=s/-/./g /r refs/tags/v([\\d\\-]+)");
  auto t = git_candidates(g, "abc\trefs/tags/v1-2\nabd\trefs/tags/v1-2^{}\nabe\trefs/heads/main\nabf\trefs/tags/v1-10\n");
  ASSERT_EQ(t.size(), 3u);
}

TEST(Scan, UpstreamPart) {
  EXPECT_EQ(upstream_part("1:2.0-1ubuntu1"), "2.0");
  EXPECT_EQ(upstream_part("2.0-1-2"), "2.0-1");
  EXPECT_EQ(upstream_part("2.0"), "2.0");
}
