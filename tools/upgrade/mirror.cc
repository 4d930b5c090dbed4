#include "upgrade/mirror.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "archive/pool.h"
#include "deb/deb822.h"
#include "util/error.h"
#include "util/file.h"
#include "util/http.h"
#include "util/process.h"

namespace hapkg::archive {
namespace {

struct Listed {
  std::uint64_t size = 0;
  std::string sha256;
};

// path -> (size, SHA256) from a Release's SHA256 field.
std::map<std::string, Listed> sha256_list(const deb::Paragraph& release) {
  std::map<std::string, Listed> out;
  std::istringstream in(release.get("SHA256"));
  std::string hash, path;
  std::uint64_t size = 0;
  while (in >> hash >> size >> path) out[path] = {size, hash};
  return out;
}

std::string last_line(const std::string& s) {
  std::istringstream in(s);
  std::string line, last;
  while (std::getline(in, line))  // gpgv's verdict is its last line
    if (!line.empty()) last = line;
  return last;
}

}  // namespace

std::string verify_release(const std::string& what, const std::string& signed_data, const std::string& signature,
                           const std::string& keyring, const std::string& scratch) {
  make_dirs(scratch);
  std::string data = scratch + "/Release.data", sig = scratch + "/Release.sig", out = scratch + "/Release.out";
  write_file_atomic(data, signed_data);
  std::vector<std::string> argv{"gpgv", "--homedir", scratch, "--keyring", std::filesystem::absolute(keyring).string()};
  if (signature.empty()) {
    ::unlink(out.c_str());
    argv.insert(argv.end(), {"--output", out, data});
  } else {
    write_file_atomic(sig, signature);
    argv.insert(argv.end(), {sig, data});
  }
  ProcessResult r = run_process(argv);
  if (r.exit_status != 0) throw InputError(what, 0, "signature check failed: " + last_line(r.err));
  std::string text = signature.empty() ? read_file(out) : signed_data;
  std::filesystem::remove_all(scratch);
  return text;
}

void fetch_mirror(const std::string& url, const std::string& suite, const std::vector<std::string>& archs,
                  const std::string& dest, const MirrorTrust& trust) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string dists = base + "/dists/" + suite;
  const std::string keyring =
      trust.keyring.empty() ? "/usr/share/keyrings/debian-archive-keyring.gpg" : trust.keyring;
  // InRelease first, as apt does; Release + Release.gpg otherwise
  std::string release;
  FetchResult in = http_get(dists + "/InRelease", true);
  FetchResult plain;
  auto get_plain = [&] {
    plain = http_get(dists + "/Release", true);
    if (plain.status != 200) throw InputError(dists + "/Release", 0, "not found (unknown suite?)");
  };
  if (in.status == 200) {
    if (trust.allow_unsigned) {
      get_plain();  // the signature is not checked, so use the plain Release
      release = plain.body;
    } else {
      release = verify_release(dists + "/InRelease", in.body, "", keyring, dest + "/.gpgv");
    }
  } else {
    get_plain();
    release = plain.body;
    if (!trust.allow_unsigned) {
      FetchResult sig = http_get(dists + "/Release.gpg", true);
      if (sig.status != 200)
        throw InputError(dists + "/Release", 0, "not signed (no InRelease or Release.gpg; --allow-unsigned to accept)");
      verify_release(dists + "/Release", release, sig.body, keyring, dest + "/.gpgv");
    }
  }
  auto doc = deb::parse_deb822(release, dists + "/Release", deb::Deb822Kind::kRelease);
  if (doc.paragraphs.empty()) throw InputError(dists + "/Release", 0, "empty Release file");
  const auto& rel = doc.paragraphs.front();
  auto listed = sha256_list(rel);
  make_dirs(dest + "/dists/" + suite);
  std::istringstream comps(rel.get("Components"));
  std::vector<std::pair<std::string, std::string>> verified;  // (dest path, body)
  for (std::string c; comps >> c;)
    for (const auto& a : archs) {
      std::string rel_dir = c + "/binary-" + a;
      for (const char* ext : {".xz", ".gz", ""}) {
        std::string name = rel_dir + "/Packages" + ext;
        auto l = listed.find(name);
        if (l == listed.end()) continue;  // apt only fetches what the Release lists
        FetchResult index = http_get(dists + "/" + name, true);
        if (index.status != 200) continue;
        if (index.body.size() != l->second.size || sha256_hex(index.body) != l->second.sha256)
          throw InputError(dists + "/" + name, 0,
                           "hash sum mismatch: the Release lists size " + std::to_string(l->second.size) +
                               " SHA256 " + l->second.sha256 + ", got size " + std::to_string(index.body.size()) +
                               " SHA256 " + sha256_hex(index.body));
        verified.emplace_back(dest + "/dists/" + suite + "/" + name, std::move(index.body));
        break;
      }
    }
  // written only once everything is verified
  for (const auto& [path, body] : verified) {
    make_dirs(path.substr(0, path.rfind('/')));
    write_file_atomic(path, body);
  }
  write_file_atomic(dest + "/dists/" + suite + "/Release", release);
}

}  // namespace hapkg::archive
