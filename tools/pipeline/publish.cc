#include "pipeline/publish.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "archive/repo.h"
#include "pipeline/release_check.h"
#include "upgrade/check.h"
#include "util/error.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {
std::mutex& archive_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

ArchiveLock::ArchiveLock(const std::string& archive) : threads_(archive_mutex()) {
  fs::path a = fs::path(archive).lexically_normal();
  if (a.filename().empty()) a = a.parent_path();
  fs::create_directories(a.parent_path());
  std::string path = (a.parent_path() / ("." + a.filename().string() + ".pipeline-lock")).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0) throw_errno(path);
  if (::flock(fd_, LOCK_EX) != 0) {
    ::close(fd_);
    throw_errno("flock " + path);
  }
}

ArchiveLock::~ArchiveLock() { ::close(fd_); }  // closing drops the flock

void ensure_suite(const std::string& archive, const std::string& suite) {
  fs::create_directories(archive);
  bool known = false;
  if (fs::exists(archive + "/conf/distributions"))
    for (const auto& s : archive::read_config(archive)) known |= s.suite == suite || s.codename == suite;
  if (known) return;
  archive::SuiteConfig sc;
  sc.suite = sc.codename = suite;
  sc.description = "hapkg pipeline uploads for " + suite;
  ProcessResult arch = run_process({"dpkg", "--print-architecture"});
  sc.architectures = {trim(arch.out)};
  archive::init_archive(archive, sc);
}

std::vector<std::string> publish_uploads(const std::string& archive, const std::string& suite,
                                         const std::vector<std::string>& changes, const SigningKey& key) {
  ArchiveLock lock(archive);
  return include_and_export(archive, suite, changes, key);
}

std::vector<std::string> include_and_export(const std::string& archive, const std::string& suite,
                                            const std::vector<std::string>& changes, const SigningKey& key) {
  ensure_suite(archive, suite);
  archive::IncludeResult r = archive::include_files(archive, suite, "", changes);
  archive::ExportOptions eo;
  eo.sign_key = key.fingerprint;
  archive::export_archive(archive, eo);
  fs::copy_file(key.public_key, archive + "/archive-key.gpg", fs::copy_options::overwrite_existing);
  return r.added;
}

UpgradeProof prove_upgrade(const SeriesEntry& series, const std::string& archive, const std::string& root) {
  upgrade::UpgradeOptions o;
  o.name = series.name + ": old release + HA stack, upgraded with the archive";
  o.old_indices = series.old_release;
  o.new_indices = series.old_release;  // the node stays on its release; the archive brings the change
  o.ppa_indices = {archive};
  o.ppa_suite = series.name;
  o.installed = series.ha_stack;
  o.expect_installed = series.expect_installed;
  // The HA stack's packages the archive carries must end at its versions.
  for (const auto& e : archive::list_entries(archive, series.name))
    if (e.kind == "deb" && std::count(series.ha_stack.begin(), series.ha_stack.end(), e.package))
      o.expect_version.push_back(e.package + " (= " + e.version + ")");
  o.expect_no_removals = true;
  o.expect_no_held = true;
  o.expect_ppa_apt_installable = true;  // every archive package, each alone on the old node
  o.keep_root = root;
  o.final_status = root + "/upgraded-status";  // where the release-upgrade check starts
  UpgradeProof p;
  p.report = upgrade::run_upgrade_check(o);
  p.ok = p.report.value("ok", false);
  if (!p.ok) p.why = trim(upgrade::render_upgrade_text(p.report));
  // The same root through the real apt-get.
  ProcessOptions po;
  po.env = std::vector<std::string>{"APT_CONFIG=" + root + "/apt.conf", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                    "LC_ALL=C"};
  ProcessResult r = run_process({"apt-get", "-s", "-q", "dist-upgrade"}, po);
  if (r.exit_status != 0) {
    p.ok = false;
    p.why += (p.why.empty() ? "" : "; ") + std::string("apt-get -s dist-upgrade failed: ") + trim(r.err);
  }
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);)
    if (l.rfind("Inst ", 0) == 0 || l.rfind("Remv ", 0) == 0) p.apt_get.push_back(l);
  for (const auto& want : series.expect_installed) {
    bool seen = std::any_of(p.apt_get.begin(), p.apt_get.end(),
                            [&](const std::string& l) { return l.rfind("Inst " + want + " ", 0) == 0; });
    if (!seen) {
      p.ok = false;
      p.why += (p.why.empty() ? "" : "; ") + ("apt-get -s dist-upgrade does not install " + want);
    }
  }
  for (const auto& problem : cross_check_installs(p.report, root)) {
    p.ok = false;
    p.why += (p.why.empty() ? "" : "; ") + problem;
  }
  p.final_status = o.final_status;
  for (const auto& l : p.apt_get)
    if (l.rfind("Remv ", 0) == 0) {
      p.ok = false;
      p.why += (p.why.empty() ? "" : "; ") + ("apt-get would remove: " + l.substr(5));
    }
  return p;
}

}  // namespace hapkg::pipeline
