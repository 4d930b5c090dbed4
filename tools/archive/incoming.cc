// process_incoming: each accepted upload becomes a whole new archive tree
// beside the old one, swapped in by one rename. Nothing is ever changed in
// the live tree, so a crash (or SIGKILL) at any point leaves it as it was or
// fully updated.
#include "archive/incoming.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "archive/repo.h"
#include "deb/hashes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/log.h"

namespace fs = std::filesystem;

namespace hapkg::archive {
namespace {

// Test hook: HAPKG_INCOMING_CRASH_AT=<point> makes this process SIGKILL
// itself there, as a crash would (tests/archive/incoming_crash.sh).
void crash_point(const char* point) {
  const char* at = std::getenv("HAPKG_INCOMING_CRASH_AT");
  if (at && std::string(at) == point) ::kill(::getpid(), SIGKILL);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

void fsync_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) throw_errno("fsync " + dir);
}

// A copy of the archive tree: pool files (immutable, replaced only by
// rename) hard-linked, everything else copied, so that the copy can be
// changed freely.
void clone_tree(const std::string& from, const std::string& to) {
  fs::create_directory(to, from);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator(); ++it) {
    fs::path rel = fs::relative(it->path(), from);
    fs::path dest = fs::path(to) / rel;
    if (it->is_symlink()) fs::copy_symlink(it->path(), dest);
    else if (it->is_directory()) fs::create_directory(dest, it->path());
    else if (*rel.begin() == "pool") fs::create_hard_link(it->path(), dest);
    else fs::copy_file(it->path(), dest);
  }
}

// Everything the new tree holds is on disk before the rename publishes it.
void sync_tree(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::syncfs(fd.get()) != 0) throw_errno("syncfs " + dir);
}

struct Paths {
  std::string archive, parent, stage, lock, log_dir;
};

Paths paths_of(const std::string& archive) {
  std::string a = fs::absolute(archive).lexically_normal().string();
  while (a.size() > 1 && a.back() == '/') a.pop_back();
  Paths p;
  p.archive = a;
  p.parent = parent_dir(a);
  p.stage = p.parent + "/." + base_name(a) + ".incoming-new";
  p.lock = p.parent + "/." + base_name(a) + ".incoming-lock";
  p.log_dir = "db/uploads";
  return p;
}

std::string sha256_of(const std::string& path) { return deb::hash_file(path).sha256; }

// db/uploads/<changes>: the SHA256 of every accepted .changes, written in
// the same swap as the upload, so a re-run knows an upload whose files were
// not yet removed from the incoming directory.
bool already_in(const Paths& p, const std::string& changes) {
  std::string log = p.archive + "/" + p.log_dir + "/" + base_name(changes);
  return fs::exists(log) && read_file(log) == sha256_of(changes) + "\n";
}

void remove_upload(const UploadCheck& c) {
  for (const auto& f : c.files) {
    if (::unlink(f.c_str()) != 0 && errno != ENOENT) throw_errno("unlink " + f);
    ::unlink((f + ".reject").c_str());
  }
}

// The upload's files, and the pool files its .dsc reuses, side by side for
// include_files (hard links; nothing is copied).
void gather(const UploadCheck& c, const std::string& into) {
  for (const auto& f : c.files) fs::create_hard_link(f, into + "/" + base_name(f));
  for (const auto& f : c.from_pool) fs::create_hard_link(f, into + "/" + base_name(f));
}

void accept(const Paths& p, const UploadCheck& c, const IncomingOptions& o) {
  fs::remove_all(p.stage);
  clone_tree(p.archive, p.stage);
  crash_point("cloned");
  std::string upload = p.stage + "/.incoming-upload";  // inside the new tree: a crash leaves nothing else
  fs::create_directory(upload);
  gather(c, upload);
  include_files(p.stage, c.suite, "", {upload + "/" + base_name(c.files.back())});
  fs::remove_all(upload);
  crash_point("included");
  fs::create_directories(p.stage + "/" + p.log_dir);
  write_file_atomic(p.stage + "/" + p.log_dir + "/" + base_name(c.files.back()), sha256_of(c.files.back()) + "\n");
  export_archive(p.stage, {o.sign_key});
  crash_point("exported");
  sync_tree(p.stage);
  if (::renameat2(AT_FDCWD, p.stage.c_str(), AT_FDCWD, p.archive.c_str(), RENAME_EXCHANGE) != 0)
    throw_errno("exchanging " + p.stage + " and " + p.archive);
  fsync_dir(p.parent);
  crash_point("exchanged");
  fs::remove_all(p.stage);  // the old tree
  crash_point("old-removed");
  remove_upload(c);
}

std::vector<std::string> changes_in(const std::string& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) throw InputError(dir, 0, "not a directory");
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".changes") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

IncomingResult process_incoming(const std::string& dir, const std::string& archive, const IncomingOptions& o) {
  Paths p = paths_of(archive);
  read_config(p.archive);
  std::string keyring = o.keyring.empty() ? uploaders_keyring(p.archive) : o.keyring;
  bool signed_now = fs::exists(p.archive + "/dists") && [&] {
    for (const auto& e : fs::recursive_directory_iterator(p.archive + "/dists"))
      if (e.path().filename() == "InRelease") return true;
    return false;
  }();
  if (signed_now && o.sign_key.empty())
    throw InputError(p.archive, 0, "the archive is signed: give the signing key (--sign) to re-export it");
  Fd lock(::open(p.lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX) != 0) throw_errno("locking " + p.lock);
  fs::remove_all(p.stage);  // left by a crash: an unfinished new tree or the old one
  IncomingResult r;
  for (const auto& changes : changes_in(dir)) {
    UploadCheck c;
    if (already_in(p, changes)) {  // accepted before a crash; only the clean-up was left
      c = check_upload(changes, p.archive, keyring);
      remove_upload(c);
      r.accepted.push_back(base_name(changes));
      continue;
    }
    c = check_upload(changes, p.archive, keyring);
    if (c.rejection) {
      write_file_atomic(changes + ".reject", c.rejection->line() + "\n");
      r.rejected.emplace_back(base_name(changes), c.rejection->line());
      continue;
    }
    accept(p, c, o);
    r.accepted.push_back(base_name(changes));
  }
  return r;
}

}  // namespace hapkg::archive
