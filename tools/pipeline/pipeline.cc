#include "pipeline/pipeline.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "pipeline/signing.h"
#include "pipeline/steps.h"
#include "pipeline/upload.h"
#include "util/error.h"

namespace hapkg::pipeline {

namespace {
std::string state_dir(const Manifest& m, const RunOptions& o) {
  return std::filesystem::absolute(o.state_dir.empty() ? m.state : o.state_dir).lexically_normal().string();
}

// --state moves the archive too unless the manifest names one.
Manifest with_state(Manifest m, const RunOptions& o) {
  if (!m.archive_given) m.archive = state_dir(m, o) + "/archive";
  return m;
}
}  // namespace

RunSummary run_pipeline(const Manifest& manifest, const RunOptions& o, const Observer& observer) {
  const Manifest m = with_state(manifest, o);
  // One run per state directory: a second one would delete the first's
  // staging directories (begin_output) under its feet.
  std::filesystem::create_directories(state_dir(m, o));
  std::string lock_path = state_dir(m, o) + "/lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) throw_errno(lock_path);
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{fd};
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    throw OperationError(state_dir(m, o) + ": another pipeline run is using this state directory");
  SigningKey key = prepare_signing_key(m.signing_key, state_dir(m, o));
  // Before any thread starts: every gpg of the run uses the pipeline's home.
  ::setenv("GNUPGHOME", key.gnupghome.c_str(), 1);
  Engine e(m, pipeline_steps(key), o);
  e.dependencies = build_dependencies(m, e.state());
  RunSummary s;
  s.outcomes = e.run(observer);
  s.state = e.state().dir();
  s.archive = m.archive;
  s.logs = s.state + "/logs";
  if (auto r = e.state().load(kArchivePackage, "report"); r && r->result == "ok" && r->outputs.contains("html"))
    s.report = (std::filesystem::path(e.state().output_dir(kArchivePackage, "report")) /
                r->outputs["html"].get<std::string>()).string();
  for (const auto& src : m.sources)
    if (auto r = e.state().load(src.name, "track"); r && r->result == "ok") s.upstream[src.name] = r->outputs;
  for (const auto& x : s.outcomes) s.ok &= x.result == "ok" || x.result == "skipped";
  return s;
}

std::vector<PlanItem> plan_pipeline(const Manifest& manifest, const RunOptions& o) {
  const Manifest m = with_state(manifest, o);
  // The key only feeds sign's and publish's hashes: plan must not make one.
  SigningKey key = existing_signing_key(state_dir(m, o));
  Engine e(m, pipeline_steps(key), o);
  e.dependencies = build_dependencies(m, e.state());
  std::vector<PlanItem> items = e.plan();
  std::string upload = describe_upload(m.upload);
  for (auto& p : items)
    if (p.step == "publish" && p.run && !upload.empty()) p.why += "; " + upload;
  return items;
}

std::vector<StepRecord> pipeline_status(const Manifest& m, const RunOptions& o) {
  return StateStore(state_dir(m, o)).all();
}

}  // namespace hapkg::pipeline
