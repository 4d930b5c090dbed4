#include "pipeline/state.h"

#include <unistd.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

// Absolute: the paths in records and logs are handed to tools that run
// elsewhere (a chroot build, apt's config).
StateStore::StateStore(std::string dir) : dir_(fs::absolute(dir).lexically_normal().string()) {
  std::error_code ec;
  fs::create_directories(dir_ + "/records", ec);
  fs::create_directories(dir_ + "/work", ec);
  fs::create_directories(dir_ + "/logs", ec);
  if (ec) throw OperationError(dir_ + ": cannot create the state directory: " + ec.message());
}

nlohmann::json to_json(const StepRecord& r) {
  return {{"package", r.package}, {"step", r.step},         {"inputs", r.inputs},     {"result", r.result},
          {"detail", r.detail},   {"log", r.log},           {"finished", r.finished}, {"seconds", r.seconds},
          {"outputs", r.outputs}};
}

StepRecord record_from_json(const nlohmann::json& j) {
  StepRecord r;
  r.package = j.value("package", "");
  r.step = j.value("step", "");
  r.inputs = j.value("inputs", "");
  r.result = j.value("result", "");
  r.detail = j.value("detail", "");
  r.log = j.value("log", "");
  r.finished = j.value("finished", "");
  r.seconds = j.value("seconds", 0.0);
  r.outputs = j.value("outputs", nlohmann::json::object());
  return r;
}

std::optional<StepRecord> StateStore::load(const std::string& package, const std::string& step) const {
  std::string path = dir_ + "/records/" + package + "/" + step + ".json";
  if (!fs::exists(path)) return std::nullopt;
  auto j = nlohmann::json::parse(read_file(path), nullptr, false);
  // A record that does not parse is treated as absent: the step reruns.
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return record_from_json(j);
}

void StateStore::save(const StepRecord& r) const {
  std::string d = dir_ + "/records/" + r.package;
  fs::create_directories(d);
  write_file_atomic(d + "/" + r.step + ".json", to_json(r).dump(2) + "\n");
}

std::vector<StepRecord> StateStore::all() const {
  std::vector<StepRecord> out;
  for (const auto& pkg : fs::directory_iterator(dir_ + "/records"))
    for (const auto& f : fs::directory_iterator(pkg.path()))
      if (f.path().extension() == ".json") {
        auto r = load(pkg.path().filename().string(), f.path().stem().string());
        if (r) out.push_back(*r);
      }
  std::sort(out.begin(), out.end(), [](const StepRecord& a, const StepRecord& b) {
    return std::tie(a.package, a.step) < std::tie(b.package, b.step);
  });
  return out;
}

std::string StateStore::output_dir(const std::string& package, const std::string& step) const {
  return dir_ + "/work/" + package + "/" + step;
}

std::string StateStore::log_path(const std::string& package, const std::string& step) const {
  return dir_ + "/logs/" + package + "/" + step + ".log";
}

std::string StateStore::begin_output(const std::string& package, const std::string& step) const {
  std::string parent = dir_ + "/work/" + package;
  fs::create_directories(parent);
  fs::create_directories(dir_ + "/logs/" + package);
  // Staging directories of this step left by a killed run.
  std::string prefix = step + ".partial-";
  for (const auto& e : fs::directory_iterator(parent))
    if (e.path().filename().string().rfind(prefix, 0) == 0) fs::remove_all(e.path());
  std::string staging = parent + "/" + prefix + std::to_string(getpid());
  fs::create_directories(staging);
  return staging;
}

void StateStore::commit_output(const std::string& package, const std::string& step,
                               const std::string& staging) const {
  std::string final_dir = output_dir(package, step);
  std::string old = final_dir + ".partial-old";
  std::error_code ec;
  fs::remove_all(old, ec);
  if (fs::exists(final_dir)) fs::rename(final_dir, old);
  fs::rename(staging, final_dir);
  fs::remove_all(old, ec);
}

}  // namespace hapkg::pipeline
