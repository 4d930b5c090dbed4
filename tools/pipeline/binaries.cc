#include "pipeline/binaries.h"

#include <cstdlib>
#include <filesystem>

#include "build/binary_build.h"
#include "deb/hashes.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {
// HAPKG_CHROOT_CACHE shares the chroot tarballs with tests/build and other
// state directories (one mmdebstrap per series and machine).
std::string chroot_cache(const StepContext& c) {
  const char* shared = std::getenv("HAPKG_CHROOT_CACHE");
  return shared && *shared ? shared : c.state.dir() + "/chroots";
}
}  // namespace

StepDef binaries_step() {
  StepDef s{"binaries"};
  s.applies = [](const SourceEntry& e) { return e.binaries; };
  // Each target series' chroot by what decides its content (series, mirror,
  // variant, architecture, mmdebstrap version), not by the cache directory's
  // files: a cold cache and a warm one must give the same inputs, or a no-op
  // rerun after the first build would rebuild everything (plan builds
  // nothing). The tarball's own key goes into the outputs. Plus what the
  // archive holds of the packages this one build-depends on.
  s.inputs = [](const StepContext& c) {
    std::string in;
    for (const auto& name : c.source->targets) {
      const SeriesEntry& se = c.manifest.series_named(name);
      in += "chroot " + name + " " + deb::sha256_hex(build::chroot_identity({name, se.chroot_mirror, ""})) + "\n";
    }
    if (c.engine && c.engine->dependencies)
      for (const auto& d : c.engine->dependencies(c.package))
        if (auto r = c.state.load(d, "publish")) in += d + " " + r->inputs + "\n";
    return in;
  };
  s.run = [](StepContext& c) {
    auto src = c.outputs_of("source");
    for (const auto& name : c.source->targets) {
      const SeriesEntry& se = c.manifest.series_named(name);
      build::Chroot chroot = build::ensure_chroot({name, se.chroot_mirror, chroot_cache(c)});
      c.log(name + ": chroot " + chroot.tarball + " (" + chroot.key + ")");
      build::BinaryBuildRequest r;
      r.dsc = c.output_of("source") + "/" + name + "/" + src.at(name).at("dsc").get<std::string>();
      r.chroot = chroot;
      r.series = name;
      std::string key = c.manifest.archive + "/archive-key.gpg";
      if (fs::exists(c.manifest.archive + "/dists/" + name + "/Release") && fs::exists(key)) {
        r.extra_sources = {"deb [signed-by=" + key + "] file:" + c.manifest.archive + " " + name + " main"};
        r.extra_keys = {key};
      }
      r.out_dir = c.out + "/" + name;
      r.log_path = c.state.dir() + "/logs/" + c.package + "/binaries-" + name + ".build";
      c.log(name + ": building " + r.dsc + " (log " + r.log_path + ")");
      build::BinaryBuildResult b = build::build_binaries(r);
      std::vector<std::string> debs;
      for (const auto& d : b.debs) debs.push_back(fs::path(d).filename().string());
      std::vector<std::string> files = b.debs;
      files.push_back(b.changes);
      auto tags = build::run_lintian(files);
      for (const auto& t : tags) c.log("lintian: " + t);
      c.outputs[name] = {{"debs", debs}, {"changes", fs::path(b.changes).filename().string()},
                         {"buildinfo", fs::path(b.buildinfo).filename().string()}, {"chroot", chroot.key},
                         {"log", b.log_path}, {"lintian", tags}};
    }
  };
  return s;
}

}  // namespace hapkg::pipeline
