// The binaries step's wiring without a chroot: what it hashes (the cached
// chroot tarballs by name and size, HAPKG_CHROOT_CACHE included, and the
// publish records of the packages it build-depends on) and its refusal of
// a target series the manifest does not have. The build itself is
// build_binaries' (tools/build/binary_build_test.cc, stand-in tools) and,
// in a real mmdebstrap chroot, tests/build/chroot_build.sh and
// tests/pipeline/default_run.sh: minutes each, too long for a unit test.
#include "pipeline/binaries.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::write_file_atomic;

namespace {

struct Fixture {
  hapkg::TempDir t;
  pl::Manifest m;
  pl::RunOptions options;
  pl::StepDef step = pl::binaries_step();
  std::vector<std::string> deps;  // what package a build-depends on
  pl::Engine engine{manifest(), {}, options};
  Fixture() {
    ::unsetenv("HAPKG_CHROOT_CACHE");
    engine.dependencies = [this](const std::string&) { return deps; };
  }
  pl::Manifest& manifest() {
    m.path = t.path() + "/ha-stack.conf";
    m.state = t.path() + "/state";
    m.series.push_back({"bookworm"});
    for (const char* n : {"a", "b"}) {
      pl::SourceEntry e;
      e.name = n;
      e.targets = {"bookworm"};
      m.sources.push_back(e);
    }
    return m;
  }
  pl::StepContext context() {
    pl::StepContext c{m, m.find("a"), engine.state(), options, "a", "binaries", t.path() + "/out", t.path() + "/log"};
    c.engine = &engine;
    return c;
  }
  std::string inputs() { return step.inputs(context()); }
  void record(const std::string& package, const std::string& step_name, const std::string& inputs,
              const nlohmann::json& outputs = nlohmann::json::object()) {
    pl::StepRecord r;
    r.package = package;
    r.step = step_name;
    r.result = "ok";
    r.inputs = inputs;
    r.outputs = outputs;
    engine.state().save(r);
  }
};

TEST(BinariesStep, HashesTheCachedChrootsByNameAndSize) {
  Fixture f;
  EXPECT_EQ(f.inputs(), "");  // no chroot yet: plan must not make one
  std::string cache = f.m.state + "/chroots";
  fs::create_directories(cache + "/partial");  // a directory is not a tarball
  write_file_atomic(cache + "/bookworm-buildd-0123456789abcdef.tar.zst", "12345");
  EXPECT_EQ(f.inputs(), "bookworm-buildd-0123456789abcdef.tar.zst 5\n");
  write_file_atomic(cache + "/bookworm-buildd-0123456789abcdef.tar.zst", "123456");
  EXPECT_EQ(f.inputs(), "bookworm-buildd-0123456789abcdef.tar.zst 6\n");

  // HAPKG_CHROOT_CACHE shares one cache between state directories.
  std::string shared = f.t.path() + "/shared-chroots";
  fs::create_directories(shared);
  write_file_atomic(shared + "/trixie-buildd-fedcba9876543210.tar.zst", "1");
  ::setenv("HAPKG_CHROOT_CACHE", shared.c_str(), 1);
  EXPECT_EQ(f.inputs(), "trixie-buildd-fedcba9876543210.tar.zst 1\n");
  ::setenv("HAPKG_CHROOT_CACHE", "", 1);  // empty: the state directory's again
  EXPECT_EQ(f.inputs(), "bookworm-buildd-0123456789abcdef.tar.zst 6\n");
  ::unsetenv("HAPKG_CHROOT_CACHE");
}

TEST(BinariesStep, HashesWhatItsBuildDependenciesPublished) {
  Fixture f;
  f.deps = {"b"};
  EXPECT_EQ(f.inputs(), "");  // b not published yet
  f.record("b", "publish", "1111");
  EXPECT_EQ(f.inputs(), "b 1111\n");
  f.record("b", "publish", "2222");  // b republished: a is built again against it
  EXPECT_EQ(f.inputs(), "b 2222\n");
  f.deps.clear();
  EXPECT_EQ(f.inputs(), "");
}

TEST(BinariesStep, AppliesToBuildBinariesOnlyAndRefusesAnUnknownSeries) {
  Fixture f;
  pl::SourceEntry e;
  EXPECT_TRUE(f.step.applies(e));
  e.binaries = false;
  EXPECT_FALSE(f.step.applies(e));

  f.m.sources[0].targets = {"trixie"};
  f.record("a", "source", "x", {{"trixie", {{"dsc", "a_1.0-1.dsc"}}}});
  pl::StepContext c = f.context();
  try {
    f.step.run(c);
    FAIL() << "ran for a series the manifest lacks";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(f.m.path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown series trixie"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(f.m.state + "/chroots"));  // nothing was built
}

}  // namespace
