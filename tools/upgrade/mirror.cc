#include "upgrade/mirror.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <sstream>

#include "deb/hashes.h"
#include "deb/deb822.h"
#include "util/error.h"
#include "util/file.h"
#include "util/http.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/gpg.h"

namespace hapkg::upgrade {
std::map<std::string, ReleaseFile> release_sha256(const deb::Paragraph& release) {
  std::map<std::string, ReleaseFile> out;
  std::istringstream in(release.get("SHA256"));
  std::string hash, path;
  std::uint64_t size = 0;
  while (in >> hash >> size >> path) out[path] = {size, hash};
  return out;
}

void require_architectures(const std::string& where, const deb::Paragraph& release,
                           const std::vector<std::string>& archs) {
  if (!release.has("Architectures")) return;
  std::istringstream in(release.get("Architectures"));
  std::vector<std::string> has{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
  for (const auto& a : archs)
    if (std::find(has.begin(), has.end(), a) == has.end())
      throw InputError(where, 0, "has no architecture '" + a + "' (Architectures: " + release.get("Architectures") +
                                     "; --arch)");
}

std::string verify_release(const std::string& what, const std::string& signed_data, const std::string& signature,
                           const std::string& keyring, const std::string& scratch) {
  std::filesystem::create_directories(scratch);
  std::string data = scratch + "/Release.data", sig = scratch + "/Release.sig", out = scratch + "/Release.out";
  write_file_atomic(data, signed_data);
  if (!signature.empty()) write_file_atomic(sig, signature);
  std::string bad = gpg::check_signature(std::filesystem::absolute(keyring).string(), data,
                                         signature.empty() ? "" : sig, signature.empty() ? out : "");
  if (!bad.empty()) throw InputError(what, 0, "signature check failed: " + bad);
  std::string text = signature.empty() ? read_file(out) : signed_data;
  std::filesystem::remove_all(scratch);
  return text;
}

namespace {

// The suite's verified Release text: InRelease first, as apt does; Release
// + Release.gpg otherwise; the plain Release when the signature is not checked.
std::string fetch_release(const std::string& dists, const MirrorTrust& trust, const std::string& scratch) {
  const std::string keyring =
      trust.keyring.empty() ? "/usr/share/keyrings/debian-archive-keyring.gpg" : trust.keyring;
  auto plain = [&] {
    FetchResult r = http_get(dists + "/Release", true);
    if (r.status != 200) throw InputError(dists + "/Release", 0, "not found (unknown suite?)");
    return r.body;
  };
  FetchResult in = http_get(dists + "/InRelease", true);
  if (in.status == 200)
    return trust.allow_unsigned ? plain() : verify_release(dists + "/InRelease", in.body, "", keyring, scratch);
  std::string release = plain();
  if (trust.allow_unsigned) return release;
  FetchResult sig = http_get(dists + "/Release.gpg", true);
  if (sig.status != 200)
    throw InputError(dists + "/Release", 0, "not signed (no InRelease or Release.gpg; --allow-unsigned to accept)");
  verify_release(dists + "/Release", release, sig.body, keyring, scratch);
  return release;
}

}  // namespace

void fetch_mirror(const std::string& url, const std::string& suite, const std::vector<std::string>& archs,
                  const std::string& dest, const MirrorTrust& trust) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string dists = base + "/dists/" + suite;
  std::string release = fetch_release(dists, trust, dest + "/.gpgv");
  auto doc = deb::parse_deb822(release, dists + "/Release", deb::Deb822Kind::kRelease);
  if (doc.paragraphs.empty()) throw InputError(dists + "/Release", 0, "empty Release file");
  const auto& rel = doc.paragraphs.front();
  auto listed = release_sha256(rel);
  require_architectures(dists + "/Release", rel, archs);
  std::filesystem::create_directories(dest + "/dists/" + suite);
  std::istringstream comps(rel.get("Components"));
  std::vector<std::pair<std::string, std::string>> verified;  // (dest path, body)
  std::map<std::string, int> per_arch;
  std::vector<std::string> components{std::istream_iterator<std::string>(comps), std::istream_iterator<std::string>()};
  Progress progress("fetching " + dists, components.size() * archs.size());
  for (const auto& c : components)
    for (const auto& a : archs) {
      progress.step(c + "/binary-" + a);
      std::string rel_dir = c + "/binary-" + a, missing;
      bool promised = false, fetched = false;
      for (const char* ext : {".xz", ".gz", ""}) {
        std::string name = rel_dir + "/Packages" + ext;
        auto l = listed.find(name);
        if (l == listed.end()) continue;  // apt only fetches what the Release lists
        promised = true;
        FetchResult index = http_get(dists + "/" + name, true);
        spdlog::debug("{}/{}: HTTP {}, {} bytes", dists, name, index.status, index.body.size());
        if (index.status != 200) {  // apt falls back to the next compression the Release lists
          if (missing.empty()) missing = dists + "/" + name + ": HTTP " + std::to_string(index.status);
          continue;
        }
        if (index.body.size() != l->second.size || deb::sha256_hex(index.body) != l->second.sha256)
          throw InputError(dists + "/" + name, 0,
                           "hash sum mismatch: the Release lists size " + std::to_string(l->second.size) +
                               " SHA256 " + l->second.sha256 + ", got size " + std::to_string(index.body.size()) +
                               " SHA256 " + deb::sha256_hex(index.body));
        verified.emplace_back(dest + "/dists/" + suite + "/" + name, std::move(index.body));
        fetched = true;
        ++per_arch[a];
        break;
      }
      // the signed Release promises this index: without it the check would pass on missing data
      if (promised && !fetched) throw OperationError(missing + " (the Release lists this index; apt-get update fails too)");
    }
  for (const auto& a : archs)
    if (per_arch[a] == 0)
      throw InputError(dists + "/Release", 0, "lists no Packages index for architecture '" + a + "' (--arch)");
  // written only once everything is verified
  for (const auto& [path, body] : verified) {
    std::filesystem::create_directories(path.substr(0, path.rfind('/')));
    write_file_atomic(path, body);
  }
  write_file_atomic(dest + "/dists/" + suite + "/Release", release);
}

}  // namespace hapkg::upgrade
