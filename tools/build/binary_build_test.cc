// build_binaries' argument and result handling, in a tiny chroot
// (test_chroot.h) whose apt-get, dpkg-source, dpkg-buildpackage and
// dpkg-genchanges are stand-in scripts: a real mmdebstrap chroot and a real
// build take minutes, and are tests/build/chroot_build.sh's job. What is
// real here: the request checks, the extra sources and keys copied in, the
// commands and their argv, the .changes read back, the outputs staged and
// moved into out_dir only after success, and the log.
#include "build/binary_build.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "build/test_chroot.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::build {
namespace {
namespace fs = std::filesystem;

const char* kSum = "0000000000000000000000000000000000000000000000000000000000000000";

// dpkg-buildpackage -b as far as build_binaries can tell: two .debs, a
// .buildinfo and a .changes naming them in the parent directory.
std::string fake_buildpackage() {
  return std::string("echo \"dpkg-buildpackage $* in $(pwd)\"\n"
                     "case \"$DEB_BUILD_OPTIONS\" in *hapkg-fail*) exit 2;; *hapkg-nochanges*) exit 0;; esac\n"
                     "for f in hello_1.0-1_amd64.deb hello-doc_1.0-1_all.deb hello_1.0-1_amd64.buildinfo; do\n"
                     "  echo \"$f\" > ../$f; done\n"
                     "printf 'Format: 1.8\\nSource: hello\\nChecksums-Sha256:\\n ") +
         kSum + " 2 hello_1.0-1_amd64.deb\\n " + kSum + " 2 hello-doc_1.0-1_all.deb\\n " + kSum +
         " 2 hello_1.0-1_amd64.buildinfo\\n' > ../hello_1.0-1_amd64.changes\n";
}

struct Fixture {
  TempDir t;
  BinaryBuildRequest req;
  Fixture() {
    std::map<std::string, std::string> scripts = {
        {"/usr/bin/apt-get",
         "echo \"apt-get $*\"\n"
         "[ \"$1\" = update ] && [ -f /etc/apt/sources.list.d/hapkg-extra.list ] &&\n"
         "  while read -r l; do echo \"list: $l\"; done < /etc/apt/sources.list.d/hapkg-extra.list\n"
         "exit 0\n"},
        {"/usr/bin/dpkg-source", "echo \"dpkg-source $*\"\nmkdir \"$4\"\n"},
        {"/usr/bin/dpkg-buildpackage", fake_buildpackage()},
        // --build=full -sa: the .changes lists the .dsc and its tarball too.
        {"/usr/bin/dpkg-genchanges", std::string("echo \"dpkg-genchanges $*\"\n"
                                                 "printf 'Format: 1.8\\nChecksums-Sha256:\\n ") +
                                         kSum + " 2 hello_1.0-1_amd64.deb\\n " + kSum + " 2 hello_1.0-1.dsc\\n " +
                                         kSum + " 2 hello_1.0.tar.xz\\n' > ${3#-O}\n"},
    };
    std::string tarball = make_test_chroot(t, scripts);
    std::string src = t.path() + "/src";
    fs::create_directories(src);
    write_file_atomic(src + "/hello_1.0-1.dsc",
                      std::string("Format: 3.0 (native)\nSource: hello\nVersion: 1.0-1\nChecksums-Sha256:\n ") + kSum +
                          " 9 hello_1.0.tar.xz\n");
    write_file_atomic(src + "/hello_1.0.tar.xz", "a tarball");
    req.dsc = src + "/hello_1.0-1.dsc";
    req.chroot = {tarball, "key-of-the-chroot"};
    req.series = "bookworm";
    req.out_dir = t.path() + "/out";
    req.log_path = t.path() + "/logs/hello.build";
  }
  std::set<std::string> out_files() const {
    std::set<std::string> s;
    if (fs::exists(req.out_dir))
      for (const auto& e : fs::directory_iterator(req.out_dir)) s.insert(e.path().filename().string());
    return s;
  }
};

TEST(BuildBinaries, RunsTheBuilddStepsAndMovesTheChangesFilesOut) {
  Fixture f;
  std::string archive = f.t.path() + "/archive", key = f.t.path() + "/archive-key.gpg";
  fs::create_directories(archive + "/dists/bookworm");
  write_file_atomic(key, "key");
  f.req.extra_sources = {"deb [signed-by=" + key + "] file:" + archive + " bookworm main"};
  f.req.extra_keys = {key};
  BinaryBuildResult r = build_binaries(f.req);
  std::string out = f.req.out_dir;
  EXPECT_EQ(r.debs, (std::vector<std::string>{out + "/hello-doc_1.0-1_all.deb", out + "/hello_1.0-1_amd64.deb"}));
  EXPECT_EQ(r.changes, out + "/hello_1.0-1_amd64.changes");
  EXPECT_EQ(r.buildinfo, out + "/hello_1.0-1_amd64.buildinfo");
  EXPECT_EQ(r.log_path, f.req.log_path);
  EXPECT_EQ(f.out_files(), (std::set<std::string>{"hello-doc_1.0-1_all.deb", "hello_1.0-1_amd64.deb",
                                                  "hello_1.0-1_amd64.buildinfo", "hello_1.0-1_amd64.changes"}));
  EXPECT_EQ(read_file(out + "/hello_1.0-1_amd64.deb"), "hello_1.0-1_amd64.deb\n");  // the chroot's file

  std::string log = read_file(f.req.log_path);
  for (const std::string& want : std::vector<std::string>{
           "+ series bookworm, chroot key key-of-the-chroot\n", "+ copied " + key + " to " + key + "\n",
        "list: deb [signed-by=" + key + "] file:" + archive + " bookworm main\n", "+ [apt-get update] apt-get update\n",
        "apt-get -y -o APT::Install-Recommends=false build-dep /build/hello_1.0-1.dsc\n",
        "dpkg-source --no-check -x /build/hello_1.0-1.dsc /build/src\n",
        "dpkg-buildpackage -b -us -uc in /build/src\n", "+ published 4 files to " + out + "\n"})
    EXPECT_NE(log.find(want), std::string::npos) << want << "\n--- log:\n" << log;
  EXPECT_EQ(log.find("dpkg-genchanges"), std::string::npos);
}

TEST(BuildBinaries, SourceAndBinaryChangesBringTheOriginalDsc) {
  Fixture f;
  f.req.source_and_binary_in_changes = true;
  BinaryBuildResult r = build_binaries(f.req);
  EXPECT_NE(read_file(f.req.log_path).find("dpkg-genchanges --build=full -sa -O/build/hello_1.0-1_amd64.changes\n"),
            std::string::npos);
  EXPECT_EQ(f.out_files(), (std::set<std::string>{"hello_1.0-1_amd64.deb", "hello_1.0-1.dsc", "hello_1.0.tar.xz",
                                                  "hello_1.0-1_amd64.changes"}));
  EXPECT_EQ(read_file(f.req.out_dir + "/hello_1.0.tar.xz"), "a tarball");  // copied in, never rebuilt
  EXPECT_EQ(r.debs, std::vector<std::string>{f.req.out_dir + "/hello_1.0-1_amd64.deb"});
  EXPECT_EQ(r.buildinfo, "");
}

TEST(BuildBinaries, FailedBuildKeepsTheLogAndPublishesNothing) {
  Fixture f;
  ::setenv("DEB_BUILD_OPTIONS", "hapkg-fail", 1);
  try {
    build_binaries(f.req);
    FAIL() << "built";
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()), "build step 'dpkg-buildpackage' failed (exit 2): see " + f.req.log_path);
  }
  ::setenv("DEB_BUILD_OPTIONS", "hapkg-nochanges", 1);
  try {
    build_binaries(f.req);
    FAIL() << "built";
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()), "dpkg-buildpackage left no .changes: see " + f.req.log_path);
  }
  ::unsetenv("DEB_BUILD_OPTIONS");
  EXPECT_TRUE(f.out_files().empty());
  EXPECT_NE(read_file(f.req.log_path).find("+ [dpkg-buildpackage] exit 0 after "), std::string::npos);
}

TEST(BuildBinaries, BadRequestsAreInputErrorsBeforeAnyCommand) {
  Fixture f;
  auto refused = [&](BinaryBuildRequest r, const std::string& what) {
    try {
      build_binaries(r);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  BinaryBuildRequest r = f.req;
  r.series = "Bookworm";
  refused(r, "Bookworm");
  r = f.req;
  r.dsc = f.t.path() + "/none.dsc";
  refused(r, f.t.path() + "/none.dsc: no such .dsc");
  r = f.req;
  r.chroot.tarball = f.t.path() + "/none.tar.zst";
  refused(r, "no such chroot tarball");
  r = f.req;
  r.out_dir.clear();
  refused(r, "out_dir and log_path are required");
  r = f.req;
  r.extra_keys = {"relative.gpg"};
  refused(r, "relative.gpg: extra key: no such absolute file");
  r = f.req;
  r.extra_sources = {"deb [signed-by=/etc/apt/other.gpg] http://deb.example.org/debian bookworm main"};
  refused(r, "signed-by /etc/apt/other.gpg is not among the extra keys");
  r = f.req;
  r.extra_sources = {"deb [trusted=yes] file:" + f.t.path() + "/no-archive bookworm main"};
  refused(r, f.t.path() + "/no-archive: extra source: no such archive directory");
  if (fs::exists(f.req.log_path)) {
    EXPECT_EQ(read_file(f.req.log_path).find("[apt-get update]"), std::string::npos);
  }
  EXPECT_TRUE(f.out_files().empty());
}

}  // namespace
}  // namespace hapkg::build
