// hapkg source orig|build|changes: thin fronts over tools/source.
#include "cli/command.h"
#include "source/build.h"
#include "source/changes.h"
#include "source/orig.h"

namespace hapkg::cli {

void add_source_commands(CLI::App& app, GlobalOptions& g) {
  auto* source = app.add_subcommand("source", "Source packages: orig tarballs, dpkg-source builds, .changes");
  source->require_subcommand(1);

  struct OrigArgs {
    source::OrigRequest req;
    std::string tarball, git, tag, reuse;
    bool repack = false;
  };
  auto oa = std::make_shared<OrigArgs>();
  auto* orig = source->add_subcommand("orig", "Make <src>_<upver>.orig.tar.* from a release tarball, a git tag, or reuse one");
  orig->add_option("--source", oa->req.source, "Source package name")->required();
  orig->add_option("--upstream-version", oa->req.upstream_version, "Upstream version")->required();
  orig->add_option("-o,--outdir", oa->req.outdir, "Output directory (default ..)");
  orig->add_option("--compression", oa->req.compression, "gz or xz for repacks and git (default xz)")
      ->check(CLI::IsMember({"gz", "xz"}));
  orig->add_option("--tarball", oa->tarball, "Release tarball");
  orig->add_flag("--repack", oa->repack, "Rewrite the tarball deterministically");
  orig->add_option("--git", oa->git, "Local git repository");
  orig->add_option("--tag", oa->tag, "Tag (with --git)");
  orig->add_option("--reuse", oa->reuse, "An orig already published: reused byte for byte");
  on_run(orig, [&g, oa] {
    std::string out;
    if (!oa->reuse.empty()) out = source::orig_reuse(oa->req, oa->reuse);
    else if (!oa->tarball.empty()) out = source::orig_from_tarball(oa->req, oa->tarball, oa->repack);
    else if (!oa->git.empty() && !oa->tag.empty()) out = source::orig_from_git(oa->req, oa->git, oa->tag);
    else throw InputError("give --tarball, --git with --tag, or --reuse");
    emit(g, {{"orig", out}}, out);
    return Exit::kOk;
  });

  struct BuildArgs {
    std::string dir = ".";
    bool no_apply = false;
    bool auto_commit = false;
    bool include_binaries = false;
  };
  auto ba = std::make_shared<BuildArgs>();
  auto* build = source->add_subcommand("build", "Build the .dsc and debian tarball like dpkg-source -b");
  build->add_option("DIR", ba->dir, "Source tree (default .)");
  build->add_flag("--no-apply", ba->no_apply, "Do not apply unapplied series patches first");
  build->add_flag("--auto-commit", ba->auto_commit,
                  "Record upstream changes as debian/patches/debian-changes-<version> instead of refusing");
  build->add_flag("--include-binaries", ba->include_binaries,
                  "Allow binary files in debian/ and list them in debian/source/include-binaries");
  on_run(build, [&g, ba] {
    source::BuildOptions o;
    o.apply_patches = !ba->no_apply;
    o.auto_commit = ba->auto_commit;
    o.include_binaries = ba->include_binaries;
    source::BuildResult r = source::build_source(ba->dir, o);
    emit(g, {{"dsc", r.dsc}, {"files", r.files}, {"applied", r.applied}, {"auto_patch", r.auto_patch}}, r.dsc);
    return Exit::kOk;
  });

  struct ChangesArgs {
    std::string dir = ".";
    source::ChangesOptions opt;
    bool sa = false, sd = false;
    std::string sign;
  };
  auto ca = std::make_shared<ChangesArgs>();
  auto* changes = source->add_subcommand("changes", "Write a source-only .changes like dpkg-genchanges -S");
  changes->add_option("DIR", ca->dir, "Built source tree (default .)");
  changes->add_option("-v,--since", ca->opt.since, "Include changelog entries newer than this version");
  changes->add_flag("--sa", ca->sa, "Always include the orig tarball");
  changes->add_flag("--sd", ca->sd, "Never include the orig tarball");
  changes->add_option("--target", ca->opt.targets, "A configured target series (warn when the distribution is not one)");
  changes->add_option("--sign", ca->sign, "Clearsign .dsc and .changes with this gpg key");
  on_run(changes, [&g, ca] {
    if (ca->sa && ca->sd) throw InputError("--sa and --sd exclude each other");
    ca->opt.orig = ca->sa ? source::OrigInclusion::kAlways : ca->sd ? source::OrigInclusion::kNever : source::OrigInclusion::kAuto;
    std::string out = source::write_changes(ca->dir, ca->opt);
    if (!ca->sign.empty()) source::sign_changes(out, ca->sign);
    emit(g, {{"changes", out}, {"signed", !ca->sign.empty()}}, out);
    return Exit::kOk;
  });
}

}  // namespace hapkg::cli
