#include "tracker/upstream/download.h"


#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "util/http.h"
#include "tracker/upstream/mangle.h"
#include "util/regex.h"
#include "util/tempdir.h"
#include "util/error.h"
#include "util/gpg.h"
#include "util/file.h"
#include "util/process.h"

namespace hapkg::tracker {
namespace {

std::string url_basename(std::string url) {
  auto q = url.find_first_of("?#");
  if (q != std::string::npos) url = url.substr(0, q);
  auto slash = url.rfind('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

std::string extension_of(const std::string& name) {
  auto m = Regex(R"((?i)\.(tar\.(?:gz|bz2|xz|lzma|zst|zstd)|tgz|tbz|txz|zip)$)").search(name);
  if (!m) return "";
  std::string e = *m->groups[0];
  if (e == "tgz") return "tar.gz";
  if (e == "tbz") return "tar.bz2";
  if (e == "txz") return "tar.xz";
  return e;
}

void fetch_to(const std::string& url, const std::string& final_path, bool bar) {
  std::string part = final_path + ".part";
  auto progress = [&](std::uint64_t done, std::uint64_t total) {
    if (!bar || total == 0) return;
    int pct = static_cast<int>(done * 100 / total);
    std::string b(static_cast<std::size_t>(pct / 4), '#');
    std::fprintf(stderr, "\r%-40s [%-25s] %3d%%", url_basename(final_path).c_str(), b.c_str(), pct);
  };
  http_download(url, part, progress);
  if (bar) std::fprintf(stderr, "\n");
  if (::rename(part.c_str(), final_path.c_str()) != 0) throw_errno("rename " + part);
}

// A throwaway gpg home holding only the dearmored signing key
// (debian/upstream/signing-key.asc) as a keyring; removed on destruction.
struct GpgHome {
  gpg::Home home;
  const std::string& dir = home.dir();
  std::string keyring;
  explicit GpgHome(const std::string& keyfile) : keyring(home.keyring_of(keyfile)) {}
};

std::string one_line(std::string msg) {
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  for (auto& c : msg)
    if (c == '\n') c = ' ';
  return msg;
}

// pgpmode=gittag: the tag must be an annotated tag signed by a key of
// debian/upstream/signing-key.asc; `git verify-tag` runs with a GNUPGHOME
// holding only that key.
void verify_git_tag(const std::string& repo, const std::string& ref, const std::string& keyfile,
                    const std::string& where) {
  GpgHome home(keyfile);  // gpg::Home: no gpg-agent may outlive it
  home.home.import_key(keyfile);
  ProcessOptions o;
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).substr(0, 10) != "GNUPGHOME=") env.push_back(*e);
  env.push_back("GNUPGHOME=" + home.dir);
  o.env = env;
  ProcessResult v = run_process({"git", "--git-dir=" + repo, "verify-tag", "--", ref}, o);
  if (v.exit_status != 0)
    throw InputError(where + ": signature check of tag " + ref + " failed: " + one_line(v.err));
}

// mode=git as uscan's Downloader: a bare clone (shallow: --depth=1 of the
// tag or branch), `git archive --format=tar --prefix=<pkg>-<ver>/ <ref>`,
// compressed as mk-origtargz leaves it with the default compression: xz
// for a 3.0 source format, else gzip -n -9 --rsyncable.
DownloadResult git_download(const WatchLine& w, const ScanResult& r, const std::string& source,
                            const std::string& tree, const std::string& dest, const std::string& where) {
  if (w.pgpmode != "gittag" && w.pgpmode != "none" && w.pgpmode != "default")
    throw InputError(where + ": --download does not support pgpmode=" + w.pgpmode + " with mode=git");
  auto space = r.upstream_url.find(' ');
  if (space == std::string::npos) throw OperationError(where + ": no git reference in " + r.upstream_url);
  std::string ref = r.upstream_url.substr(space + 1);
  std::string format;
  try {
    format = read_file(tree + "/debian/source/format");
  } catch (const Error&) {
  }
  bool xz = format.rfind("3.0", 0) == 0;
  DownloadResult out;
  out.path = dest + "/" + source + "_" + r.upstream_version + ".orig.tar." + (xz ? "xz" : "gz");

  TempDir t{"hapkg-track"};
  std::string repo = t.path() + "/repo.git";
  std::vector<std::string> clone{"git", "clone", "--quiet", "--bare"};
  if (w.gitmode == "shallow" && w.pretty != "describe") {
    std::string branch = ref;
    if (branch.rfind("refs/tags/", 0) == 0) branch = branch.substr(10);
    else if (branch.rfind("refs/heads/", 0) == 0) branch = branch.substr(11);
    clone.push_back("--depth=1");
    if (branch != "HEAD") clone.insert(clone.end(), {"-b", branch});
  }
  clone.insert(clone.end(), {"--", w.base, repo});
  ProcessResult c = run_process(clone);
  if (c.exit_status != 0) throw OperationError(where + ": git clone " + w.base + " failed: " + one_line(c.err));
  if (w.pgpmode == "gittag") verify_git_tag(repo, ref, tree + "/debian/upstream/signing-key.asc", where);

  std::string tar = out.path + ".part";
  std::string packed = tar + (xz ? ".xz" : ".gz");
  ::unlink(tar.c_str());
  ::unlink(packed.c_str());
  auto fail = [&](const std::string& what, const ProcessResult& p) {
    ::unlink(tar.c_str());
    ::unlink(packed.c_str());
    throw OperationError(where + ": " + what + " failed: " + one_line(p.err));
  };
  ProcessResult a = run_process({"git", "--git-dir=" + repo, "archive", "--format=tar",
                                 "--prefix=" + source + "-" + r.upstream_version + "/", "--output=" + tar, "--", ref});
  if (a.exit_status != 0) fail("git archive " + ref, a);
  ProcessResult z = xz ? run_process({"xz", "--", tar}) : run_process({"gzip", "-n", "-9", "--rsyncable", "--", tar});
  if (z.exit_status != 0) fail(xz ? "xz" : "gzip", z);
  if (::rename(packed.c_str(), out.path.c_str()) != 0) throw_errno("rename " + packed);
  return out;
}

}  // namespace

void verify_signature(const std::string& file, const std::string& sig, const std::string& keyfile,
                      const std::string& where) {
  GpgHome home(keyfile);
  std::string bad = gpg::check_signature(home.keyring, file, sig);
  if (!bad.empty()) throw InputError(where + ": signature check of " + url_basename(file) + " failed: " + bad);
}

void extract_signed(const std::string& signed_file, const std::string& output, const std::string& keyfile,
                    const std::string& where) {
  GpgHome home(keyfile);
  std::string bad = gpg::check_signature(home.keyring, signed_file, "", output);
  if (!bad.empty())
    throw InputError(where + ": signature check of " + url_basename(signed_file) + " failed: " + bad);
}

DownloadResult download_newest(const WatchLine& w, const ScanResult& r, const std::string& source,
                               const std::string& tree, const std::string& dest, bool bar,
                               const std::string& signature_url) {
  std::string where = InputError::at(w.file, w.line);
  if (!r.error.empty()) throw OperationError(r.error);
  if (w.mode == "git") return git_download(w, r, source, tree, dest, where);
  std::string name = r.upstream_url;
  apply_mangles(w.filenamemangle, name);
  if (w.filenamemangle.empty()) name = url_basename(r.upstream_url);
  else name = url_basename(name);
  // pgpmode=self: the file is gpg-signed data; uscan names the result after
  // the file without its last extension (.gpg, .asc, ...).
  bool self_signed = w.pgpmode == "self";
  std::string signed_name = name;
  if (self_signed) apply_mangle(R"(s/^(.*?)\.[^\.]+$/$1/)", name);
  std::string ext = extension_of(name);
  if (ext.empty()) ext = extension_of(url_basename(r.upstream_url));
  if (ext.empty()) throw InputError(where + ": cannot tell the archive type of " + name);
  DownloadResult out;
  out.path = dest + "/" + source + "_" + r.upstream_version + ".orig." + ext;
  std::string staging = out.path + ".unverified";
  fetch_to(r.upstream_url, staging, bar);
  std::string key = tree + "/debian/upstream/signing-key.asc";
  if (self_signed) {
    std::string data = staging + ".data";
    try {
      extract_signed(staging, data, key, where);
    } catch (...) {
      ::unlink(staging.c_str());
      throw;
    }
    // uscan keeps the signed file under its upstream name beside the tarball.
    out.signature = dest + "/" + signed_name;
    if (::rename(staging.c_str(), out.signature.c_str()) != 0) throw_errno("rename " + staging);
    if (::rename(data.c_str(), out.path.c_str()) != 0) throw_errno("rename " + data);
    return out;
  }
  // pgpmode as uscan: mangle verifies the pgpsigurlmangle'd URL; auto looks
  // for <url>.asc/.gpg/.pgp/.sig/.sign and verifies the first one found (none
  // found: no check, as uscan); none and default do not check.
  std::vector<std::string> sigmangle = w.pgpmode == "mangle" ? w.pgpsigurlmangle : std::vector<std::string>{};
  if (w.pgpmode == "auto") {
    for (const char* suffix : {"asc", "gpg", "pgp", "sig", "sign"}) {
      FetchResult probe;
      try {
        probe = http_get(r.upstream_url + "." + suffix, true);
      } catch (const Error&) {
        continue;
      }
      if (probe.status >= 200 && probe.status < 300) {
        sigmangle = {std::string("s/$/.") + suffix + "/"};
        break;
      }
    }
  } else if (w.pgpmode != "mangle" && w.pgpmode != "none" && w.pgpmode != "default" && w.pgpmode != "next") {
    ::unlink(staging.c_str());
    throw InputError(where + ": --download does not support pgpmode=" + w.pgpmode);
  }
  if (!sigmangle.empty() || !signature_url.empty()) {
    std::string sigurl = r.upstream_url;
    if (!signature_url.empty()) sigurl = signature_url;
    else apply_mangles(sigmangle, sigurl);
    std::string sig = out.path + ".asc";
    std::string sig_staging = sig + ".unverified";
    fetch_to(sigurl, sig_staging, false);
    try {
      verify_signature(staging, sig_staging, key, where);
    } catch (...) {
      ::unlink(staging.c_str());
      ::unlink(sig_staging.c_str());
      throw;
    }
    std::string text = read_file(sig_staging);
    if (text.rfind("-----BEGIN PGP ", 0) != 0 && text.find("\n-----BEGIN PGP ") == std::string::npos) {
      // A binary signature: uscan (mk-origtargz) keeps it ASCII-armoured as
      // .asc: gpg --enarmor without Version:/Comment:, "ARMORED FILE" -> "SIGNATURE".
      std::string enarmored = gpg::enarmor(sig_staging);
      std::string armored;
      for (std::size_t pos = 0; pos < enarmored.size();) {
        auto nl = enarmored.find('\n', pos);
        std::string line = enarmored.substr(pos, nl == std::string::npos ? std::string::npos : nl + 1 - pos);
        pos = nl == std::string::npos ? enarmored.size() : nl + 1;
        if (line.rfind("Version:", 0) == 0 || line.rfind("Comment:", 0) == 0) continue;
        if (auto at = line.find("ARMORED FILE"); at != std::string::npos) line.replace(at, 12, "SIGNATURE");
        armored += line;
      }
      write_file_atomic(sig, armored);
      ::unlink(sig_staging.c_str());
    } else if (::rename(sig_staging.c_str(), sig.c_str()) != 0) {
      throw_errno("rename " + sig_staging);
    }
    out.signature = sig;
  }
  if (::rename(staging.c_str(), out.path.c_str()) != 0) throw_errno("rename " + staging);
  return out;
}

}  // namespace hapkg::tracker
