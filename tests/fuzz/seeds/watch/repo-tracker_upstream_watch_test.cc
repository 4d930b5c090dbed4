#include "tracker/upstream/watch.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "util/error.h"

using hapkg::InputError;
using hapkg::tracker::parse_watch;

TEST(Watch, ParsesV4WithContinuationAndOpts) {
  auto wf = parse_watch(
      "# comment\nversion=4\n\n"
      "opts=\"uversionmangle=s/rc/~rc/;s/_/./g, dversionmangle=auto\" \\\n"
      "   https://example.org/dl/ @PACKAGE@@ANY_VERSION@@ARCHIVE_EXT@ debian uupdate\n"
      "opts=mode=git https://git.example.org/x.git refs/tags/v([\\d.]+)\n"
      "https://example.org/files/hello-(\\d[\\d.]*)\\.tar\\.gz\n",
      "w", "hello");
  ASSERT_EQ(wf.version, 4);
  ASSERT_EQ(wf.lines.size(), 3u);
  const auto& a = wf.lines[0];
  EXPECT_EQ(a.line, 4u);
  EXPECT_EQ(a.base, "https://example.org/dl/");
  EXPECT_EQ(a.filepattern, std::string("hello") + hapkg::tracker::kAnyVersion + hapkg::tracker::kArchiveExt);
  EXPECT_EQ(a.lastversion, "debian");
  EXPECT_EQ(a.action, "uupdate");
  EXPECT_EQ(a.uversionmangle, (std::vector<std::string>{"s/rc/~rc/", "s/_/./g"}));
  ASSERT_EQ(a.dversionmangle.size(), 1u);
  EXPECT_EQ(wf.lines[1].mode, "git");
  EXPECT_EQ(wf.lines[1].filepattern, "refs/tags/v([\\d.]+)");
  EXPECT_EQ(wf.lines[2].base, "https://example.org/files/");
  EXPECT_EQ(wf.lines[2].filepattern, "hello-(\\d[\\d.]*)\\.tar\\.gz");
}

static std::string error_of(const std::string& text) {
  try {
    parse_watch(text, "debian/watch", "p");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Watch, BadInputNamesFileAndLine) {
  EXPECT_EQ(error_of("https://x/ a-(.*)\n").rfind("debian/watch:1: ", 0), 0u);
  EXPECT_EQ(error_of("version=4\n\nhttps://x/ a-([0-9.+)\\.tar\n").rfind("debian/watch:3: bad regex", 0), 0u);
  EXPECT_EQ(error_of("version=4\nhttps://x/ a-1.0.tar.gz\n").rfind("debian/watch:2: ", 0), 0u);
  EXPECT_EQ(error_of("version=4\nopts=uversionmangle=s/a/b/q https://x/ a-(.*)\n").rfind("debian/watch:2: ", 0), 0u);
  EXPECT_EQ(error_of("version=4\nftp://x/ a-(.*)\n").rfind("debian/watch:2: unknown protocol", 0), 0u);
  EXPECT_EQ(error_of("version=4\nhttps://x/ \\\n").rfind("debian/watch:2: ", 0), 0u);
  EXPECT_EQ(error_of("version=9\n"), "debian/watch:1: watch file version 9 is not supported (3 and 4 are)");
}

#include "tracker/upstream/track.h"

TEST(Manifest, HaStackParses) {
  auto entries = hapkg::tracker::read_manifest(std::string(getenv("HAPKG_SOURCE_DIR")) + "/tracker/ha-stack.conf");
  std::vector<std::string> names;
  for (const auto& e : entries) {
    names.push_back(e.source);
    ASSERT_EQ(e.lines.size(), 1u) << e.source;
    EXPECT_GT(e.lines[0].line, 0u);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"resource-agents", "pacemaker", "corosync", "fence-agents", "dlm",
                                             "gfs2-utils", "drbd-utils", "openstack-resource-agents"}));
  EXPECT_EQ(entries[1].lines[0].base, "https://github.com/ClusterLabs/pacemaker/tags");
  EXPECT_EQ(entries[1].lines[0].uversionmangle, (std::vector<std::string>{"s/-rc/~rc/"}));
  EXPECT_EQ(entries[7].lines[0].mode, "git");
}

TEST(Manifest, BadParagraphNamesLine) {
  char path[] = "/tmp/hapkg-manifest-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string text = "Source: a\nWatch: https://x/ a-(\\d+)\\.tar\\.gz\n\nSource: b\nVersion: 1\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  try {
    hapkg::tracker::read_manifest(path);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), std::string(path) + ":4: paragraph for b without a Watch field");
  }
  unlink(path);
}

static std::string write_temp(const std::string& text) {
  char path[] = "/tmp/hapkg-watch-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  return path;
}

TEST(Watch, Version5) {
  std::string path = write_temp(
      "Version: 5\nUversion-Mangle: s/rc/~rc/\n\n"
      "Source: https://example.org/dl/\nMatching-Pattern: @PACKAGE@-(\\d[\\d.]*)\\.tar\\.xz\n\n"
      "Source: https://example.org/other/\nSearchmode: plain\nDVersionMangle: auto\n\n"
      "Source: https://gone.example.org/\nUntrackable: upstream vanished\n");
  auto wf = hapkg::tracker::read_watch(path, "hello");
  unlink(path.c_str());
  ASSERT_EQ(wf.lines.size(), 2u);
  EXPECT_EQ(wf.lines[0].base, "https://example.org/dl/");
  EXPECT_EQ(wf.lines[0].filepattern, "hello-(\\d[\\d.]*)\\.tar\\.xz");
  EXPECT_EQ(wf.lines[0].uversionmangle, (std::vector<std::string>{"s/rc/~rc/"}));
  EXPECT_EQ(wf.lines[0].line, 4u);
  EXPECT_EQ(wf.lines[1].searchmode, "plain");
  EXPECT_EQ(wf.lines[1].filepattern,
            std::string("(?:hello)?") + hapkg::tracker::kAnyVersion + hapkg::tracker::kArchiveExt);
  EXPECT_EQ(wf.lines[1].dversionmangle.size(), 1u);

  std::string bad = write_temp("Version: 5\n\nSource: https://x/\nMatching-Pattern: a-([0-9.+)\n");
  try {
    hapkg::tracker::read_watch(bad, "a");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(bad + ":3: bad regex", 0), 0u) << e.what();
  }
  unlink(bad.c_str());
}
