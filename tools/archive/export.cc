// hapkg archive export: Packages/Sources (+.gz, .xz), per-component and
// suite Release files, optional InRelease/Release.gpg. Everything goes to
// temp files first; renames happen only when all are written and signed,
// suite Release files last.
#include <apt-pkg/aptconfiguration.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <string_view>
#include <thread>
#include <cstdlib>
#include <ctime>
#include <sys/stat.h>

#include "archive/pool.h"
#include "archive/repo.h"
#include "deb/apt_init.h"
#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"

namespace hapkg::archive {
namespace {

struct Pending {
  std::string tmp, final_path, rel;  // rel: path relative to dists/<suite>/ ("" = not listed)
};

void write_temp(const std::string& path, const std::string& data, FileFd::CompressMode mode) {
  std::string tmp = path + ".hapkg-new";
  ::unlink(tmp.c_str());
  FileFd f;
  // xz preset 0 instead of apt's default 6: on a 3000-stanza Packages
  // (mostly incompressible hashes) it is 3% larger and 3x faster, and the
  // xz stage dominated the whole export.
  static const APT::Configuration::Compressor xz("xz", ".xz", "xz", "-0", "-d", 500);
  unsigned int flags = FileFd::WriteOnly | FileFd::Create | FileFd::Exclusive;
  if (!(mode == FileFd::Xz ? f.Open(tmp, flags, xz, 0644) : f.Open(tmp, flags, mode, 0644)) ||
      !f.Write(data.data(), data.size()) || !f.Close())
    throw OperationError(tmp + ": cannot write: " + deb::take_apt_errors());
}

class Staging {
 public:
  ~Staging() {
    if (!done_)
      for (const auto& p : files_) ::unlink(p.tmp.c_str());
  }
  // Writes `data` (compressed with `mode`) to a temp file for `path`.
  void add(const std::string& path, const std::string& rel, const std::string& data,
           FileFd::CompressMode mode = FileFd::None) {
    write_temp(path, data, mode);
    files_.push_back({path + ".hapkg-new", path, rel});
  }
  // The same three files apt-ftparchive writes: plain, .gz, .xz; the two
  // compressors run in parallel.
  void add_compressed_set(const std::string& path, const std::string& rel, const std::string& data) {
    add(path, rel, data);
    std::exception_ptr gz_error;
    std::thread gz([&] {
      try {
        write_temp(path + ".gz", data, FileFd::Gzip);
      } catch (...) {
        gz_error = std::current_exception();
      }
    });
    try {
      write_temp(path + ".xz", data, FileFd::Xz);
    } catch (...) {
      gz.join();
      throw;
    }
    gz.join();
    files_.push_back({path + ".gz.hapkg-new", path + ".gz", rel + ".gz"});
    files_.push_back({path + ".xz.hapkg-new", path + ".xz", rel + ".xz"});
    if (gz_error) std::rethrow_exception(gz_error);
  }
  void add_existing(const std::string& tmp, const std::string& path) { files_.push_back({tmp, path, ""}); }
  const std::vector<Pending>& files() const { return files_; }
  // Renames everything; `last` names (Release) go after all others.
  void commit() {
    auto is_release = [](const Pending& p) {
      auto n = p.final_path.substr(p.final_path.rfind('/') + 1);
      return n == "Release" && p.rel.empty();
    };
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& p : files_)
        if (is_release(p) == (pass == 1))
          if (::rename(p.tmp.c_str(), p.final_path.c_str()) != 0) throw_errno("rename " + p.final_path);
    done_ = true;
  }

 private:
  std::vector<Pending> files_;
  bool done_ = false;
};

std::string release_date() {
  std::time_t t = std::time(nullptr);
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) t = static_cast<std::time_t>(std::atoll(sde));
  char buf[64];
  std::tm tm {};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S UTC", &tm);
  return buf;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& w : v) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The stanzas of a db file as text (the db is written by repo.cc: one blank
// line between stanzas), with the value of `key` for selection.
struct RawStanza {
  std::string_view text, key;
};

std::vector<RawStanza> read_stanzas(const std::string& f, std::string& storage, const std::string& key) {
  struct stat st {};
  if (::stat(f.c_str(), &st) != 0) return {};
  storage = read_file(f);
  std::vector<RawStanza> out;
  std::string_view all(storage);
  std::size_t line = 1;
  while (!all.empty()) {
    auto end = all.find("\n\n");
    std::string_view one = all.substr(0, end == std::string_view::npos ? all.size() : end + 1);
    if (one.rfind("Package: ", 0) != 0) throw InputError(f, line, "corrupt database stanza");
    std::string_view k;
    auto at = one.find("\n" + key + ": ");
    if (at != std::string_view::npos) {
      auto b = at + key.size() + 3;
      k = one.substr(b, one.find('\n', b) - b);
    }
    out.push_back({one, k});
    line += static_cast<std::size_t>(std::count(one.begin(), one.end(), '\n')) + 1;
    if (end == std::string_view::npos) break;
    all.remove_prefix(end + 2);
  }
  return out;
}

void add_index(Staging& st, const std::string& base, const std::string& reldir, const std::string& name,
               const std::string& text) {
  std::filesystem::create_directories(base + "/" + reldir);
  std::string p = base + "/" + reldir + "/" + name;
  st.add_compressed_set(p, reldir + "/" + name, text);
}

void sign(Staging& st, const std::string& release_tmp, const std::string& base, const std::string& key) {
  std::string in_tmp = base + "/InRelease.hapkg-new", gpg_tmp = base + "/Release.gpg.hapkg-new";
  ::unlink(in_tmp.c_str());
  ::unlink(gpg_tmp.c_str());
  st.add_existing(in_tmp, base + "/InRelease");
  st.add_existing(gpg_tmp, base + "/Release.gpg");
  gpg::sign_file(release_tmp, in_tmp, key, gpg::SignMode::kClearsign);
  gpg::sign_file(release_tmp, gpg_tmp, key, gpg::SignMode::kDetached);
}

}  // namespace

std::vector<std::string> export_archive(const std::string& dir, const ExportOptions& options) {
  auto suites = read_config(dir);
  Staging st;
  for (const auto& s : suites) {
    std::string base = dir + "/dists/" + s.suite;
    std::filesystem::create_directories(base);
    std::vector<std::string> listed_start;
    std::size_t first = st.files().size();
    for (const auto& comp : s.components) {
      std::string deb_text, src_text;
      auto debs = read_stanzas(dir + "/db/" + s.suite + "/" + comp + "/packages", deb_text, "Architecture");
      auto srcs = read_stanzas(dir + "/db/" + s.suite + "/" + comp + "/sources", src_text, "Package");
      for (const auto& arch : s.architectures) {
        std::string text;
        for (const auto& p : debs)
          if (p.key == arch || p.key == "all") text.append(text.empty() ? "" : "\n").append(p.text);
        std::string reldir = comp + "/binary-" + arch;
        add_index(st, base, reldir, "Packages", text);
        std::string rel = "Archive: " + s.suite + "\nOrigin: " + s.origin + "\nLabel: " + s.label +
                          "\nComponent: " + comp + "\nArchitecture: " + arch + "\n";
        st.add(base + "/" + reldir + "/Release", reldir + "/Release", rel);
      }
      std::string all;
      for (const auto& p : srcs) all.append(all.empty() ? "" : "\n").append(p.text);
      add_index(st, base, comp + "/source", "Sources", all);
      st.add(base + "/" + comp + "/source/Release", comp + "/source/Release",
             "Archive: " + s.suite + "\nOrigin: " + s.origin + "\nLabel: " + s.label + "\nComponent: " + comp +
                 "\nArchitecture: source\n");
    }
    std::string release = "Origin: " + s.origin + "\nLabel: " + s.label + "\nSuite: " + s.suite +
                          "\nCodename: " + s.codename + "\nDate: " + release_date() +
                          "\nArchitectures: " + join(s.architectures) + "\nComponents: " + join(s.components) +
                          "\n";
    if (!s.description.empty()) release += "Description: " + s.description + "\n";
    std::vector<std::pair<std::string, deb::FileHashes>> hashes;
    for (std::size_t i = first; i < st.files().size(); ++i)
      hashes.emplace_back(st.files()[i].rel, deb::hash_file(st.files()[i].tmp));
    std::sort(hashes.begin(), hashes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    struct Block {
      const char* name;
      std::string deb::FileHashes::*member;
    };
    for (const Block& b : {Block{"MD5Sum", &deb::FileHashes::md5}, Block{"SHA1", &deb::FileHashes::sha1},
                           Block{"SHA256", &deb::FileHashes::sha256}, Block{"SHA512", &deb::FileHashes::sha512}}) {
      release += std::string(b.name) + ":\n";
      for (const auto& [rel, h] : hashes) {
        std::string size = std::to_string(h.size);
        release += " " + h.*(b.member) + " " + std::string(size.size() < 16 ? 16 - size.size() : 0, ' ') + size +
                   " " + rel + "\n";
      }
    }
    st.add(base + "/Release", "", release);
    if (!options.sign_key.empty()) {
      sign(st, base + "/Release.hapkg-new", base, options.sign_key);
    } else {
      // an old signature over an old Release must not outlive it (apt prefers InRelease)
      for (const char* f : {"/InRelease", "/Release.gpg"})
        if (::unlink((base + f).c_str()) != 0 && errno != ENOENT) throw_errno("unlink " + base + f);
    }
  }
  st.commit();
  if (!cleanup_pending(dir)) return {};
  auto deleted = delete_unreferenced(dir);
  clear_cleanup_pending(dir);
  return deleted;
}

}  // namespace hapkg::archive
