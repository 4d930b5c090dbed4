#include "pipeline/engine.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "deb/hashes.h"
#include "util/error.h"

#ifndef HAPKG_VERSION
#error "HAPKG_VERSION comes from debian/changelog through CMake"
#endif

namespace hapkg::pipeline {
namespace fs = std::filesystem;

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);  // std::gmtime shares one buffer between the -j workers
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string StepContext::output_of(const std::string& s, const std::string& p) const {
  return state.output_dir(p.empty() ? package : p, s);
}

nlohmann::json StepContext::outputs_of(const std::string& s, const std::string& p) const {
  auto r = state.load(p.empty() ? package : p, s);
  if (!r || r->result != "ok") throw OperationError((p.empty() ? package : p) + ": step " + s + " has no output");
  return r->outputs;
}

void StepContext::log(const std::string& line) const {
  std::ofstream(log_path, std::ios::app) << line << "\n";
}

Engine::Engine(const Manifest& manifest, std::vector<StepDef> steps, RunOptions options)
    : manifest_(manifest),
      steps_(std::move(steps)),
      options_(std::move(options)),
      state_(options_.state_dir.empty() ? manifest.state : options_.state_dir) {
  for (const auto& o : options_.only)
    if (!manifest_.find(o)) throw InputError(manifest_.path, 0, "--only " + o + ": no such source with Packaging");
  for (const auto* s : {&options_.from, &options_.until})
    if (!s->empty()) index_of(*s);
}

std::size_t Engine::index_of(const std::string& step) const {
  for (std::size_t i = 0; i < steps_.size(); ++i)
    if (steps_[i].name == step) return i;
  std::string known;
  for (const auto& s : steps_) known += (known.empty() ? "" : " ") + s.name;
  throw InputError("unknown step '" + step + "' (steps: " + known + ")");
}

std::vector<std::string> Engine::packages() const {
  std::vector<std::string> out;
  for (const auto& s : manifest_.sources)
    if (options_.only.empty() || std::count(options_.only.begin(), options_.only.end(), s.name)) out.push_back(s.name);
  return out;
}

const SourceEntry* Engine::source_of(const std::string& package) const { return manifest_.find(package); }

bool Engine::step_applies(const StepDef& s, const std::string& package) const {
  const SourceEntry* src = source_of(package);
  if (s.per_package != (src != nullptr)) return false;
  return !src || !s.applies || s.applies(*src);
}

StepContext Engine::context(const std::string& package, const std::string& step) const {
  StepContext c{manifest_, source_of(package), state_, options_, package, step, "", state_.log_path(package, step)};
  c.engine = const_cast<Engine*>(this);
  return c;
}

std::string Engine::chain_hash(const std::string& package, std::size_t i, const std::string& previous) const {
  const StepDef& s = steps_[i];
  StepContext c = context(package, s.name);
  std::string what = std::string("hapkg " HAPKG_VERSION) + '\0' + s.name + '\0' + manifest_.global_raw + '\0';
  if (c.source) what += c.source->raw;
  for (const auto& se : manifest_.series) what += '\0' + se.raw;
  what += '\0' + (s.inputs ? s.inputs(c) : std::string()) + '\0' + previous;
  return deb::sha256_hex(what);
}

namespace {
// Why a step with this hash would run ("" when its record still holds).
std::string why_run(const std::optional<StepRecord>& r, const std::string& hash, const std::string& out) {
  if (!r) return "no record";
  if (r->result != "ok") return "failed last time";
  if (r->inputs != hash) return "inputs changed";
  if (!fs::is_directory(out)) return "output missing";
  return "";
}
}  // namespace

std::vector<PlanItem> Engine::plan() {
  std::vector<PlanItem> out;
  std::string all_hashes;
  auto walk = [&](const std::string& pkg, std::string prev) {
    bool earlier_runs = false;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      if (!step_applies(steps_[i], pkg)) continue;
      std::string h = chain_hash(pkg, i, prev);
      prev = h;
      std::string why = why_run(state_.load(pkg, steps_[i].name), h, state_.output_dir(pkg, steps_[i].name));
      // The chain carries an earlier step's change into this hash too.
      if (earlier_runs && (why.empty() || why == "inputs changed")) why = "an earlier step reruns";
      earlier_runs |= !why.empty();
      out.push_back({pkg, steps_[i].name, !why.empty(), why.empty() ? "up to date" : why});
    }
    return prev;
  };
  for (const auto& p : packages()) all_hashes += walk(p, "") + "\n";
  walk(kArchivePackage, all_hashes);
  return out;
}

bool Engine::run_steps(const std::string& pkg, std::size_t first, std::size_t last, const Observer& obs,
                       std::vector<Outcome>& out, std::string& prev) {
  std::size_t from = options_.from.empty() ? 0 : index_of(options_.from);
  std::size_t until = options_.until.empty() ? steps_.size() - 1 : index_of(options_.until);
  auto emit = [&](Outcome o, EventKind k) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (obs) obs({o.package, o.step, k, o.seconds, o.detail, o.log});
    if (k != EventKind::kStarted) out.push_back(std::move(o));
  };
  for (std::size_t i = first; i <= last && i < steps_.size(); ++i) {
    const StepDef& s = steps_[i];
    if (!step_applies(s, pkg)) continue;
    std::string h = chain_hash(pkg, i, prev);
    prev = h;
    auto rec = state_.load(pkg, s.name);
    std::string why = why_run(rec, h, state_.output_dir(pkg, s.name));
    if (i > until) return true;
    if (i < from) {
      if (!why.empty()) {
        emit({pkg, s.name, "failed", 0, "--from " + options_.from + ": step " + s.name + " is not up to date (" + why + ")", ""},
             EventKind::kFailed);
        return false;
      }
      continue;
    }
    if (why.empty()) {
      emit({pkg, s.name, "skipped", 0, "up to date" + (rec->detail.empty() ? "" : "; " + rec->detail), rec->log},
           EventKind::kSkipped);
      continue;
    }
    StepContext c = context(pkg, s.name);
    emit({pkg, s.name, "started", 0, why, c.log_path}, EventKind::kStarted);
    auto t0 = std::chrono::steady_clock::now();
    StepRecord r{pkg, s.name, h, "ok", "", c.log_path, "", 0, {}};
    try {
      c.out = state_.begin_output(pkg, s.name);
      std::ofstream(c.log_path, std::ios::trunc) << "# " << pkg << " " << s.name << " " << now_utc() << " (" << why << ")\n";
      s.run(c);
      state_.commit_output(pkg, s.name, c.out);
      r.outputs = c.outputs;
      r.detail = c.summary;
    } catch (const std::exception& e) {
      r.result = "failed";
      r.detail = e.what();
      c.log(std::string("error: ") + e.what());
      std::error_code ec;
      if (!c.out.empty()) fs::remove_all(c.out, ec);
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.finished = now_utc();
    state_.save(r);
    bool ok = r.result == "ok";
    emit({pkg, s.name, ok ? "ok" : "failed", r.seconds, r.detail, r.log}, ok ? EventKind::kDone : EventKind::kFailed);
    if (!ok) return false;
  }
  return true;
}

void Engine::run_phase(const std::vector<std::string>& pkgs, std::size_t first, std::size_t last,
                       const Observer& obs, std::vector<Outcome>& out, std::map<std::string, std::string>& hashes) {
  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& p : pkgs) {
    if (!dependencies) break;
    for (const auto& d : dependencies(p))
      if (d != p && std::count(pkgs.begin(), pkgs.end(), d)) deps[p].push_back(d);
  }
  std::mutex m;
  std::condition_variable cv;
  std::set<std::string> started, ok, bad;
  std::size_t running = 0;
  auto worker = [&] {
    std::unique_lock<std::mutex> lock(m);
    for (;;) {
      std::string next;
      for (const auto& p : pkgs) {
        if (started.count(p)) continue;
        auto failed_dep = std::find_if(deps[p].begin(), deps[p].end(), [&](const auto& d) { return bad.count(d); });
        if (failed_dep != deps[p].end() || (stop_ && !options_.keep_going)) {
          started.insert(p);
          bad.insert(p);
          std::string why = failed_dep != deps[p].end() ? "needs " + *failed_dep + ", which failed" : "stopped after a failure";
          std::lock_guard<std::mutex> l2(mutex_);
          failed_[p] = why;
          out.push_back({p, steps_[first].name, "blocked", 0, why, ""});
          if (obs) obs({p, steps_[first].name, EventKind::kBlocked, 0, why, ""});
          continue;
        }
        if (std::all_of(deps[p].begin(), deps[p].end(), [&](const auto& d) { return ok.count(d); })) {
          next = p;
          break;
        }
      }
      if (next.empty()) {
        if (started.size() == pkgs.size()) break;
        if (running == 0) {  // what is left waits on itself: a Build-Depends cycle
          std::lock_guard<std::mutex> l2(mutex_);  // other workers' emit() appends to `out` too
          for (const auto& p : pkgs)
            if (!started.count(p)) {
              started.insert(p);
              bad.insert(p);
              out.push_back({p, steps_[first].name, "blocked", 0, "Build-Depends cycle among the manifest's packages", ""});
            }
          break;
        }
        cv.wait(lock);
        continue;
      }
      started.insert(next);
      ++running;
      std::string h = hashes[next];
      lock.unlock();
      bool good = run_steps(next, first, last, obs, out, h);
      lock.lock();
      --running;
      hashes[next] = h;
      (good ? ok : bad).insert(next);
      if (!good) {
        stop_ = true;
        std::lock_guard<std::mutex> l2(mutex_);
        failed_.emplace(next, "failed");
      }
      cv.notify_all();
    }
    cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, options_.jobs); ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
}

std::vector<Outcome> Engine::run(const Observer& obs) {
  std::vector<Outcome> out;
  std::map<std::string, std::string> hashes;
  std::vector<std::string> pkgs = packages();
  // Phase 1 (fetch, patch) needs nothing from other packages; phase 2 runs in
  // Build-Depends order, which the patched trees tell.
  std::size_t split = index_of("patch");
  std::size_t per_package_end = 0;
  for (std::size_t i = 0; i < steps_.size(); ++i)
    if (steps_[i].per_package) per_package_end = i;
  auto deps = dependencies;
  dependencies = nullptr;
  run_phase(pkgs, 0, split, obs, out, hashes);
  dependencies = deps;
  std::vector<std::string> rest;
  for (const auto& p : pkgs)
    if (!failed_.count(p)) rest.push_back(p);
  run_phase(rest, split + 1, per_package_end, obs, out, hashes);
  std::string all;
  for (const auto& p : pkgs) all += hashes[p] + "\n";
  if (per_package_end + 1 < steps_.size()) {
    if (!failed_.empty() || !options_.only.empty()) {
      std::string why = !failed_.empty() ? "a package failed" : "--only runs a part of the manifest";
      out.push_back({kArchivePackage, steps_[per_package_end + 1].name, "not run", 0, why, ""});
      if (obs) obs({kArchivePackage, steps_[per_package_end + 1].name, EventKind::kBlocked, 0, why, ""});
    } else {
      run_steps(kArchivePackage, per_package_end + 1, steps_.size() - 1, obs, out, all);
    }
  }
  return out;
}

}  // namespace hapkg::pipeline
