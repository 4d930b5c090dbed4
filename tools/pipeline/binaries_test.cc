// The binaries step's wiring without a chroot: what it hashes (each target
// series' chroot identity, the same whether the cache is cold or warm, and
// the publish records of the packages it build-depends on) and its refusal of
// a target series the manifest does not have. The build itself is
// build_binaries' (tools/build/binary_build_test.cc, stand-in tools) and,
// in a real mmdebstrap chroot, tests/build/chroot_build.sh and
// tests/pipeline/default_run.sh: minutes each, too long for a unit test.
#include "pipeline/binaries.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "build/binary_build.h"
#include "deb/hashes.h"
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

// A cold cache and a warm one give the same inputs: the first real run
// found an empty cache, left tarball, .sha256, .lock and .log behind, and a
// no-op rerun that hashed the directory's files rebuilt everything.
TEST(BinariesStep, HashesEachTargetsChrootIdentityNotTheCacheFiles) {
  Fixture f;
  f.m.series[0].chroot_mirror = "http://deb.debian.org/debian";
  std::string cold = f.inputs();
  std::string id = hapkg::build::chroot_identity({"bookworm", "http://deb.debian.org/debian", ""});
  EXPECT_NE(id.find("series=bookworm\n"), std::string::npos) << id;
  EXPECT_EQ(cold, "chroot bookworm " + hapkg::deb::sha256_hex(id) + "\n");
  std::string cache = f.m.state + "/chroots";
  fs::create_directories(cache);
  for (const char* n : {"bookworm-buildd-0123456789abcdef.tar.zst", "bookworm-buildd-0123456789abcdef.tar.zst.sha256",
                        "bookworm-buildd-0123456789abcdef.tar.zst.lock", "bookworm-buildd-0123456789abcdef.tar.zst.log"})
    write_file_atomic(cache + "/" + n, "12345");
  EXPECT_EQ(f.inputs(), cold);
  ::setenv("HAPKG_CHROOT_CACHE", (f.t.path() + "/shared-chroots").c_str(), 1);
  EXPECT_EQ(f.inputs(), cold);  // where the cache lives decides nothing
  ::unsetenv("HAPKG_CHROOT_CACHE");

  // Another mirror is another chroot; a second target series a second line.
  f.m.series[0].chroot_mirror = "http://mirror.example/debian";
  std::string other = f.inputs();
  EXPECT_NE(other, cold);
  f.m.series.push_back({"trixie"});
  f.m.series[1].chroot_mirror = "http://deb.debian.org/debian";
  f.m.sources[0].targets = {"bookworm", "trixie"};
  std::string two = f.inputs();
  EXPECT_EQ(two.rfind(other, 0), 0u) << two;
  EXPECT_NE(two.find("\nchroot trixie "), std::string::npos) << two;
}

TEST(BinariesStep, HashesWhatItsBuildDependenciesPublished) {
  Fixture f;
  f.m.series[0].chroot_mirror = "http://deb.debian.org/debian";
  std::string chroots = f.inputs();
  f.deps = {"b"};
  EXPECT_EQ(f.inputs(), chroots);  // b not published yet
  f.record("b", "publish", "1111");
  EXPECT_EQ(f.inputs(), chroots + "b 1111\n");
  f.record("b", "publish", "2222");  // b republished: a is built again against it
  EXPECT_EQ(f.inputs(), chroots + "b 2222\n");
  f.deps.clear();
  EXPECT_EQ(f.inputs(), chroots);
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
