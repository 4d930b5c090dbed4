// hapkg pipeline run|plan|status: thin fronts over pipeline/pipeline.h.
#include <unistd.h>

#include <memory>

#include "cli/command.h"
#include "pipeline/display.h"
#include "pipeline/manifest.h"
#include "pipeline/pipeline.h"
#include "util/file.h"

#ifndef HAPKG_SOURCE_DIR
#error "HAPKG_SOURCE_DIR: where the embedded default manifest and this repository are"
#endif

namespace hapkg::cli {

namespace {
struct PipelineArgs {
  std::string manifest = HAPKG_SOURCE_DIR "/tracker/ha-stack.conf";
  pipeline::RunOptions o;
  std::string junit;
};

void add_common(CLI::App* cmd, PipelineArgs& a) {
  cmd->add_option("--manifest", a.manifest, "The manifest (default: this repository's tracker/ha-stack.conf)");
  cmd->add_option("--state", a.o.state_dir, "State directory (records, outputs, logs; default: the manifest's State)");
  cmd->add_option("--only", a.o.only, "Only these sources");
}
}  // namespace

void add_pipeline_commands(CLI::App& app, GlobalOptions& g) {
  auto* pipe = app.add_subcommand("pipeline", "The PPA pipeline: packaging to a signed archive and the upgrade proof");
  pipe->require_subcommand(1);
  auto a = std::make_shared<PipelineArgs>();
  a->o.build_root = HAPKG_SOURCE_DIR;

  auto* run = pipe->add_subcommand("run", "Run every step that is not up to date (exit 1 when a step failed)");
  add_common(run, *a);
  run->add_option("--from", a->o.from, "First step to run (earlier ones must be up to date)");
  run->add_option("--until", a->o.until, "Last step to run");
  run->add_option("-j,--jobs", a->o.jobs, "Packages run at once")->check(CLI::Range(1, 64));
  run->add_flag("--keep-going", a->o.keep_going, "After a failure, go on with what does not depend on it");
  run->add_option("--junit", a->junit, "Write a JUnit XML report (one case per package x step)");
  run->add_flag("--new-upstream", a->o.new_upstream,
                "track: merge a newer upstream release into the packaging (patches already upstream dropped)");
  on_run(run, [&g, a] {
    pipeline::Manifest m = pipeline::read_manifest(a->manifest);
    pipeline::Display display(!g.json && !g.quiet && isatty(STDERR_FILENO), g.quiet);
    pipeline::RunSummary s = pipeline::run_pipeline(m, a->o, display.observer());
    display.finish();
    if (!a->junit.empty()) write_file_atomic(a->junit, pipeline::render_junit(s.outcomes));
    emit(g, pipeline::summary_json(s), pipeline::render_summary(s));
    return s.ok ? Exit::kOk : Exit::kProblem;
  });

  auto* plan = pipe->add_subcommand("plan", "What run would do and why (nothing is done)");
  add_common(plan, *a);
  plan->add_option("--from", a->o.from, "First step");
  plan->add_option("--until", a->o.until, "Last step");
  plan->add_flag("--new-upstream", a->o.new_upstream, "As run --new-upstream (part of track's inputs)");
  on_run(plan, [&g, a] {
    pipeline::Manifest m = pipeline::read_manifest(a->manifest);
    auto items = pipeline::plan_pipeline(m, a->o);
    nlohmann::json j = nlohmann::json::array();
    for (const auto& p : items) j.push_back({{"package", p.package}, {"step", p.step}, {"run", p.run}, {"why", p.why}});
    emit(g, j, pipeline::render_plan(items));
    return Exit::kOk;
  });

  auto* status = pipe->add_subcommand("status", "The last run of every package and step");
  add_common(status, *a);
  on_run(status, [&g, a] {
    pipeline::Manifest m = pipeline::read_manifest(a->manifest);
    auto records = pipeline::pipeline_status(m, a->o);
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : records) j.push_back(pipeline::to_json(r));
    emit(g, j, pipeline::render_status(records));
    return Exit::kOk;
  });
}

}  // namespace hapkg::cli
