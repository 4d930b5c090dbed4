#include "tracker/upstream/track.h"

#include <gtest/gtest.h>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::tracker {
namespace {

std::string error_of(const std::string& manifest_text, std::string& path) {
  static TempDir dir("hapkg-track-test");
  path = dir.path() + "/manifest.conf";
  write_file_atomic(path, manifest_text);
  try {
    read_manifest(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Manifest, WatchErrorsNameTheManifestLine) {
  std::string path;
  // The bad pattern is on line 7, inside the second paragraph's Watch field.
  std::string text =
      "# comment\nSource: a\nWatch: https://x/ a-(\\d+)\\.tar\\.gz\n\nSource: b\nWatch:\n https://x/ b-([0-9.+)\\.tar\n";
  EXPECT_EQ(error_of(text, path).rfind(path + ":7: bad regex", 0), 0u) << error_of(text, path);
  text = "Source: a\nVersion: 1-1\nWatch:\n opts=\"uversionmangle=s/a/b/q\" \\\n  https://x/ a-(\\d+)\\.tar\\.gz\n";
  EXPECT_EQ(error_of(text, path).rfind(path + ":4: ", 0), 0u) << error_of(text, path);
}

TEST(Manifest, WatchLinesKeepTheirOwnLine) {
  TempDir dir("hapkg-track-test");
  std::string path = dir.path() + "/m.conf";
  write_file_atomic(path, "Source: a\nWatch: https://x/ a-(\\d+)\\.tar\\.gz\n\nSource: b\nVersion: 2-1\nWatch:\n"
                          " # the upstream's tags\n https://x/ b-(\\d+)\\.tar\\.gz\n");
  auto entries = read_manifest(path);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].lines.at(0).line, 2u);
  EXPECT_EQ(entries[1].lines.at(0).line, 8u);
  EXPECT_EQ(entries[1].lines.at(0).file, path);
  EXPECT_EQ(entries[1].version, "2-1");
}

ScanResult result(const std::string& status, const std::string& error = "", bool skipped = false) {
  ScanResult r;
  r.status = status;
  r.error = error;
  r.skipped = skipped;
  return r;
}

Exit status_of(std::vector<ScanResult> results, bool downloading = false) {
  TrackEntry e;
  e.results = std::move(results);
  return track_exit_status({e}, downloading);
}

TEST(Track, ExitStatusIsUscans) {
  EXPECT_EQ(status_of({result("newer package available")}), Exit::kOk);
  EXPECT_EQ(status_of({result("up to date")}), Exit::kProblem);  // nothing newer: 1
  EXPECT_EQ(status_of({result("only older package available")}), Exit::kProblem);
  EXPECT_EQ(status_of({result("", "w:2: reading http://x/: 404")}), Exit::kFailure);
  EXPECT_EQ(status_of({result("", "w:2: reading http://x/: 404"), result("newer package available")}), Exit::kOk);
  // A skipped signature line: uscan's status 1 wins in a report, not in a download.
  EXPECT_EQ(status_of({result("newer package available"), result("", "", true)}), Exit::kProblem);
  EXPECT_EQ(status_of({result("newer package available"), result("", "", true)}, true), Exit::kOk);
  EXPECT_EQ(track_exit_status({}, false), Exit::kProblem);
}

TEST(Track, DiagnosticsNameFileAndLine) {
  WatchFile wf = parse_watch("version=4\n\nopts=utersionmalgle=s/a/b/ https://x/ a-(\\d+)\\.tar\\.gz\n",
                             "debian/watch", "a");
  ASSERT_EQ(wf.lines.size(), 1u);
  TrackEntry e;
  ScanResult r = result("up to date");
  r.warnings = wf.lines[0].warnings;
  r.file = wf.lines[0].file;
  r.line = wf.lines[0].line;
  e.results = {r, result("", "debian/watch:5: no matching files for watch line")};
  Diagnostics d = diagnostics({e});
  EXPECT_EQ(d.warnings, (std::vector<std::string>{"debian/watch:3: unrecognized option utersionmalgle=s/a/b/"}));
  EXPECT_EQ(d.errors, (std::vector<std::string>{"debian/watch:5: no matching files for watch line"}));
}

TEST(Track, DownloadsNothingWithoutANewerVersionOrATree) {
  TrackEntry from_manifest;  // no tree: never downloaded
  from_manifest.results = {result("newer package available")};
  from_manifest.lines.resize(1);
  TrackEntry current;
  current.tree = "/nonexistent";
  current.results = {result("up to date")};
  current.lines.resize(1);
  EXPECT_TRUE(download_newer({from_manifest, current}, false).empty());
}

}  // namespace
}  // namespace hapkg::tracker
