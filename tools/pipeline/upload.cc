#include "pipeline/upload.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "archive/incoming.h"
#include "pipeline/publish.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

std::string dput_config(const UploadTarget& t) {
  std::string h = std::string("[") + kDputHost + "]\n";
  // Every value here comes from a manifest field the reader checked: no
  // newline, no '%' (dput.cf interpolates %(name)s), Launchpad names only.
  if (t.kind == UploadTarget::Kind::kLocal)
    // check_version compares with the *installed* package: meaningless here.
    return h + "method = local\nincoming = " + t.dir +
           "\nallow_unsigned_uploads = 0\nrun_lintian = 0\nrun_dinstall = 0\ncheck_version = 0\n";
  if (t.kind == UploadTarget::Kind::kPpa)
    // Launchpad's documented PPA stanza (shared/reference/debian-packaging.md).
    return h + "fqdn = ppa.launchpad.net\nmethod = ftp\nincoming = ~" + t.owner + "/ubuntu/" + t.ppa +
           "/\nlogin = anonymous\nallow_unsigned_uploads = 0\n";
  return "";
}

std::string describe_upload(const UploadTarget& t) {
  switch (t.kind) {
    case UploadTarget::Kind::kLocal: return "upload: dput (local) into " + t.dir + ", then process-incoming";
    case UploadTarget::Kind::kPpa:
      return "upload: dput to ppa:" + t.owner + "/" + t.ppa + " (source only: Launchpad builds the binaries)";
    case UploadTarget::Kind::kDput: return "upload: dput to " + t.host + " (your dput.cf)";
    case UploadTarget::Kind::kNone: break;
  }
  return "";
}

std::vector<std::string> dput_argv(const UploadTarget& t, const std::string& config, const std::string& changes) {
  if (t.kind == UploadTarget::Kind::kDput) return {"dput", "--", t.host, changes};  // the user's dput.cf
  if (t.kind == UploadTarget::Kind::kNone) throw InputError("Upload: none has no dput target");
  return {"dput", "-c", config, "--", kDputHost, changes};
}

void run_dput(const UploadTarget& t, const std::string& config, const std::string& changes,
              const std::function<void(const std::string&)>& log) {
  std::vector<std::string> argv = dput_argv(t, config, changes);
  std::string line = "$";
  for (const auto& a : argv) line += " " + a;
  log(line);
  ProcessResult r = run_process(argv);
  std::istringstream in(r.out + r.err);
  std::string last;
  for (std::string l; std::getline(in, l);)
    if (!trim(l).empty()) log("dput: " + (last = l));
  if (r.exit_status != 0)
    throw Error(Exit::kProblem, "dput " + fs::path(changes).filename().string() + " failed (exit " +
                                    std::to_string(r.exit_status) + "): " + trim(last));
}

void add_uploader(const std::string& archive, const SigningKey& key) {
  // A binary keyring is a sequence of exported keys: gpgv reads the
  // concatenation. Ours is appended once (by its exact bytes).
  std::string ours = read_file(key.public_key);
  std::string path = archive + "/conf/uploaders.gpg";
  std::string all = fs::exists(path) ? read_file(path) : "";
  if (all.find(ours) != std::string::npos) return;
  write_file_atomic(path, all + ours);
}

void accept_upload(const std::string& dir, const std::string& archive, const std::string& changes,
                   const SigningKey& key, const std::function<void(const std::string&)>& log) {
  archive::IncomingOptions o;
  o.sign_key = key.fingerprint;
  archive::IncomingResult r = archive::process_incoming(dir, archive, o);
  for (const auto& a : r.accepted) log("process-incoming: accepted " + a);
  for (const auto& [name, why] : r.rejected) log("process-incoming: rejected " + name + ": " + why);
  for (const auto& [name, why] : r.rejected)
    if (name == changes) throw Error(Exit::kProblem, "upload rejected: " + why);
  if (std::find(r.accepted.begin(), r.accepted.end(), changes) == r.accepted.end())
    throw Error(Exit::kProblem, "process-incoming did not see " + changes + " in " + dir);
}

namespace {

// The source upload linked into the stage (dput writes its .upload log
// beside the .changes, so the sign step's output stays as it was). Returns
// the staged .changes.
std::string stage_upload(const SeriesUpload& u) {
  fs::remove_all(u.stage);
  fs::create_directories(u.stage);
  std::vector<std::string> names = u.source_files;
  names.push_back(u.source_changes);
  for (const auto& f : names)
    if (!fs::exists(u.stage + "/" + f)) fs::create_hard_link(u.signed_dir + "/" + f, u.stage + "/" + f);
  return u.stage + "/" + u.source_changes;
}

std::vector<std::string> in_dir(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(dir + "/" + n);
  return out;
}

}  // namespace

std::vector<std::string> publish_series(const Manifest& m, const SeriesUpload& u, const SigningKey& key,
                                        const std::function<void(const std::string&)>& log) {
  const UploadTarget& t = m.upload;
  std::vector<std::string> binaries = in_dir(u.signed_dir, u.binary_changes);
  std::vector<std::string> all = binaries;
  all.insert(all.begin(), u.signed_dir + "/" + u.source_changes);
  if (t.kind == UploadTarget::Kind::kNone) return publish_uploads(m.archive, u.suite, all, key);

  std::string changes = stage_upload(u);
  std::string config = u.stage + "/dput.cf";
  if (t.kind != UploadTarget::Kind::kDput) write_file_atomic(config, dput_config(t));
  if (t.kind != UploadTarget::Kind::kLocal) {
    std::vector<std::string> added = publish_uploads(m.archive, u.suite, all, key);
    run_dput(t, config, changes, log);
    return added;
  }
  // dput and process-incoming under the archive's lock: with -j another
  // package's process-incoming must not meet this upload half copied.
  ArchiveLock lock(m.archive);
  fs::create_directories(t.dir);
  run_dput(t, config, changes, log);
  ensure_suite(m.archive, u.suite);
  add_uploader(m.archive, key);
  accept_upload(t.dir, m.archive, u.source_changes, key, log);
  std::vector<std::string> added{u.label};
  if (!binaries.empty()) {
    auto b = include_and_export(m.archive, u.suite, binaries, key);
    added.insert(added.end(), b.begin(), b.end());
  }
  fs::copy_file(key.public_key, m.archive + "/archive-key.gpg", fs::copy_options::overwrite_existing);
  return added;
}

}  // namespace hapkg::pipeline
