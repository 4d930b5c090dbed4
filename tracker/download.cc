#include "tracker/download.h"


#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "util/http.h"
#include "tracker/mangle.h"
#include "tracker/regex.h"
#include "util/error.h"
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

}  // namespace

void verify_signature(const std::string& file, const std::string& sig, const std::string& keyfile,
                      const std::string& where) {
  char tmpl[] = "/tmp/hapkg-gpg.XXXXXX";
  if (!::mkdtemp(tmpl)) throw_errno("mkdtemp");
  std::string home = tmpl;
  struct Cleanup {
    std::string d;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
  } cleanup{home};
  ProcessResult dearmor = run_process({"gpg", "--batch", "--homedir", home, "--dearmor", "--output",
                                       home + "/keyring.gpg", keyfile});
  if (dearmor.exit_status != 0) throw InputError(keyfile, 0, "cannot read the signing key: " + dearmor.err);
  ProcessResult v = run_process({"gpgv", "--homedir", home, "--keyring", home + "/keyring.gpg", sig, file});
  if (v.exit_status != 0) {
    std::string msg = v.err;
    for (auto& c : msg)
      if (c == '\n') c = ' ';
    throw InputError(where + ": signature check of " + url_basename(file) + " failed: " + msg);
  }
}

DownloadResult download_newest(const WatchLine& w, const ScanResult& r, const std::string& source,
                               const std::string& tree, const std::string& dest, bool bar,
                               const std::string& signature_url) {
  std::string where = InputError::at(w.file, w.line);
  if (!r.error.empty()) throw OperationError(r.error);
  if (w.mode == "git") throw InputError(where + ": --download does not support mode=git");
  std::string name = r.upstream_url;
  apply_mangles(w.filenamemangle, name);
  if (w.filenamemangle.empty()) name = url_basename(r.upstream_url);
  else name = url_basename(name);
  std::string ext = extension_of(name);
  if (ext.empty()) ext = extension_of(url_basename(r.upstream_url));
  if (ext.empty()) throw InputError(where + ": cannot tell the archive type of " + name);
  DownloadResult out;
  out.path = dest + "/" + source + "_" + r.upstream_version + ".orig." + ext;
  std::string staging = out.path + ".unverified";
  fetch_to(r.upstream_url, staging, bar);
  std::string key = tree + "/debian/upstream/signing-key.asc";
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
      ProcessResult a = run_process({"gpg", "--no-options", "--batch", "--homedir", "/nonexistent", "--output", "-",
                                     "--enarmor", sig_staging});
      if (a.exit_status != 0) throw OperationError("gpg --enarmor " + sig_staging + ": " + a.err);
      std::string armored;
      for (std::size_t pos = 0; pos < a.out.size();) {
        auto nl = a.out.find('\n', pos);
        std::string line = a.out.substr(pos, nl == std::string::npos ? std::string::npos : nl + 1 - pos);
        pos = nl == std::string::npos ? a.out.size() : nl + 1;
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
