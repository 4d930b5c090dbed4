#include "pipeline/fetch.h"

#include <filesystem>

#include "deb/deb822.h"
#include "deb/hashes.h"
#include "deb/version.h"
#include "upgrade/mirror.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/http.h"
#include "util/process.h"
#include "util/strings.h"
#include "util/tempdir.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {

std::string last_line_of(const std::string& s) {
  std::string t = rtrim(s);
  auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

bool is_url(const std::string& s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }
void download(const std::string& from, const std::string& dest, const LogFn& log);

struct Listed {
  std::string name, sha256;
  std::uint64_t size = 0;
};

// " <sha256> <size> <name>" lines of a Checksums-Sha256 field.
std::vector<Listed> checksums(const deb::Paragraph& p, const std::string& what) {
  std::vector<Listed> out;
  std::istringstream in(p.get("Checksums-Sha256"));
  for (std::string line; std::getline(in, line);) {
    std::istringstream w(line);
    Listed l;
    std::string size;
    if (!(w >> l.sha256 >> size >> l.name)) continue;
    try {
      l.size = std::stoull(size);
    } catch (const std::exception&) {
      throw InputError(what, p.line, "bad size '" + size + "' in Checksums-Sha256");
    }
    if (l.name.find('/') != std::string::npos || l.name == ".." || l.name == ".")
      throw InputError(what, p.line, "file name '" + l.name + "' leaves the package directory");
    out.push_back(l);
  }
  if (out.empty()) throw InputError(what, p.line, "no Checksums-Sha256 field");
  return out;
}

void verify_file(const std::string& path, const Listed& l, const std::string& against) {
  deb::FileHashes h = deb::hash_file(path);
  if (h.size != l.size || h.sha256 != l.sha256)
    throw InputError(l.name, 0,
                     "does not match " + against + " (size " + std::to_string(h.size) + ", sha256 " + h.sha256 +
                         "; expected " + std::to_string(l.size) + ", " + l.sha256 + ")");
}

// The stanza of `name` (the pinned version, or the newest).
deb::Paragraph pick(const deb::Deb822& d, const std::string& name, const std::string& version,
                    const std::string& where) {
  const deb::Paragraph* best = nullptr;
  for (const auto& p : d.paragraphs) {
    if (p.get("Package") != name) continue;
    if (!version.empty() ? p.get("Version") == version
                         : !best || deb::compare_versions(p.get("Version"), best->get("Version")) > 0)
      best = &p;
  }
  if (!best)
    throw InputError(where, 0, "no source package " + name + (version.empty() ? "" : " " + version) + " in it");
  return *best;
}

// Reads `rel` under an index root (URL or directory) into memory.
std::string get(const std::string& root, const std::string& rel, bool missing_ok = false) {
  if (is_url(root)) {
    FetchResult r = http_get(root + "/" + rel, missing_ok);
    if (r.status >= 400) return "";
    return r.body;
  }
  if (missing_ok && !fs::exists(root + "/" + rel)) return "";
  return read_file(root + "/" + rel);
}

// The verified Sources text of a signed index: InRelease, or Release + Release.gpg.
std::string signed_sources(const Packaging& pk, const std::string& scratch, const LogFn& log) {
  std::string dists = "dists/" + pk.suite;
  std::string inrelease = get(pk.uri, dists + "/InRelease", true), release;
  if (!inrelease.empty()) {
    release = upgrade::verify_release(pk.uri + "/" + dists + "/InRelease", inrelease, "", pk.keyring, scratch + "/gpg");
  } else {
    std::string plain = get(pk.uri, dists + "/Release"), sig = get(pk.uri, dists + "/Release.gpg");
    release = upgrade::verify_release(pk.uri + "/" + dists + "/Release", plain, sig, pk.keyring, scratch + "/gpg");
  }
  log("Release of " + pk.suite + ": signature good (" + pk.keyring + ")");
  deb::Deb822 rel = deb::parse_deb822(release, dists + "/Release", deb::Deb822Kind::kRelease);
  if (rel.paragraphs.empty()) throw InputError(pk.uri + "/" + dists + "/Release", 0, "empty Release");
  // The uncompressed Sources first: no decompressor between the check and the parse.
  for (std::string name : {"Sources", "Sources.xz", "Sources.gz"}) {
    std::string rel_path = pk.component + "/source/" + name;
    std::istringstream in(rel.paragraphs[0].get("SHA256"));
    for (std::string line; std::getline(in, line);) {
      std::istringstream w(line);
      std::string sha, size, path;
      if (!(w >> sha >> size >> path) || path != rel_path) continue;
      std::string data = get(pk.uri, dists + "/" + rel_path, true);
      if (data.empty()) continue;
      std::string local = scratch + "/" + name;
      write_file_atomic(local, data);
      verify_file(local, {rel_path, sha, std::stoull(size)}, dists + "/Release");
      log(rel_path + ": checksum good");
      return deb::read_deb822_text(local);
    }
  }
  throw InputError(pk.uri + "/" + dists + "/Release", 0, "lists no " + pk.component + "/source/Sources index");
}

// Downloads into the cache (a killed download resumes from its .partial),
// verifies, then copies into the step's output. A cached file that does not
// verify is deleted, so the next run downloads it again.
void fetch_file(const std::string& from, const std::string& cache, const Listed& l, const std::string& against,
                const std::string& dest, const LogFn& log) {
  std::string cached = cache + "/" + l.name;
  if (!fs::exists(cached)) download(from, cached, log);
  try {
    verify_file(cached, l, against);
  } catch (const Error&) {
    fs::remove(cached);
    throw;
  }
  fs::copy_file(cached, dest, fs::copy_options::overwrite_existing);
}

void download(const std::string& from, const std::string& dest, const LogFn& log) {
  std::string partial = dest + ".partial";
  if (is_url(from)) {
    http_download(from, partial, {});
  } else {
    if (!fs::exists(from)) throw OperationError(from + ": not found");
    fs::copy_file(from, partial, fs::copy_options::overwrite_existing);
  }
  fs::rename(partial, dest);
  log("fetched " + from);
}

// Unpacks a verified source. With a .dsc, dpkg-source -x (it checks the
// .dsc's checksums again); without one (the archive does not serve it), the
// orig and debian tarballs the Sources stanza verified, as dpkg-source
// would lay them out, patches not applied.
std::string unpack(const std::string& files, const std::string& dsc, const std::vector<Listed>& listed,
                   const std::string& tree, const LogFn& log) {
  if (!dsc.empty()) {
    ProcessResult r = run_process({"dpkg-source", "--no-copy", "--skip-patches", "-x", files + "/" + dsc, tree});
    if (r.exit_status != 0) throw OperationError("dpkg-source -x " + dsc + ": " + last_line_of(r.err));
    return tree;
  }
  fs::create_directories(tree);
  for (const auto& l : listed) {
    bool orig = l.name.find(".orig.tar.") != std::string::npos && l.name.find(".asc") == std::string::npos;
    bool debian = l.name.find(".debian.tar.") != std::string::npos;
    if (!orig && !debian) continue;
    std::vector<std::string> argv{"tar", "-xf", files + "/" + l.name, "-C", tree, "--no-same-owner"};
    if (orig) argv.insert(argv.end(), {"--strip-components=1"});
    ProcessResult r = run_process(argv);
    if (r.exit_status != 0) throw OperationError("tar -xf " + l.name + ": " + last_line_of(r.err));
  }
  log("no .dsc served: unpacked the orig and debian tarballs Sources verified");
  return tree;
}

Fetched fetch_repository(const SourceEntry& s, const std::string& repo, const std::string& dest) {
  std::string version = first_line(read_file(repo + "/debian/changelog"));
  auto open = version.find('('), close = version.find(')');
  if (open == std::string::npos || close == std::string::npos) throw InputError(repo + "/debian/changelog", 1, "no version");
  Fetched f;
  f.version = version.substr(open + 1, close - open - 1);
  f.tree = dest + "/" + s.name + "-" + f.version;
  fs::create_directories(f.tree);
  ProcessResult tar = run_process({"git", "-C", repo, "archive", "--format=tar", "HEAD"});
  if (tar.exit_status != 0) throw OperationError("git archive in " + repo + ": " + last_line_of(tar.err));
  ProcessOptions o;
  o.input = tar.out;
  ProcessResult x = run_process({"tar", "-xf", "-", "-C", f.tree}, o);
  if (x.exit_status != 0) throw OperationError("unpacking git archive: " + last_line_of(x.err));
  return f;
}

// dscverify's check of a fetched .dsc: a clearsigned one must carry a good
// signature by a key of the keyrings (any of them); an unsigned one is
// accepted, its checksums being those of the signed index (Sources).
// Returns the text to read the .dsc's fields from: what gpgv verified (text
// outside the signed block never counts), or the unsigned file itself.
std::string check_dsc_signature(const std::string& dsc, const Packaging& pk, const std::string& scratch,
                                const LogFn& log) {
  std::string name = fs::path(dsc).filename().string();
  std::string index = pk.kind == Packaging::Kind::kIndex ? "the signed Sources index" : "the Sources file carried here";
  if (read_file(dsc).rfind("-----BEGIN PGP SIGNED MESSAGE-----", 0) != 0) {
    log(name + ": unsigned .dsc, accepted: its checksums are in " + index);
    return dsc;
  }
  if (pk.dsc_keyrings.empty()) {
    log(name + ": OpenPGP signature not checked (no keyring: set Dsc-Keyring or install debian-keyring); "
               "its checksums are in " + index);
    return dsc;
  }
  std::string verdict, verified = scratch + "/" + name + ".verified";
  for (const auto& k : pk.dsc_keyrings) {
    verdict = gpg::check_signature(k, dsc, "", verified);
    if (verdict.empty()) {
      log(name + ": OpenPGP signature good (" + k + ")");
      return verified;
    }
  }
  throw InputError(dsc, 0, "bad OpenPGP signature of the .dsc: " + verdict);
}

}  // namespace

Fetched fetch_packaging(const SourceEntry& s, const std::string& repository, const std::string& dest,
                        const std::string& cache, const LogFn& log) {
  const Packaging& pk = s.packaging;
  if (pk.kind == Packaging::Kind::kRepository) return fetch_repository(s, repository, dest);
  TempDir scratch("hapkg-fetch");
  std::string sources_text, root, where;
  if (pk.kind == Packaging::Kind::kSources) {
    where = pk.uri + "/Sources";
    if (!fs::exists(where)) throw InputError(where, 0, "missing: the Packaging of " + s.name + " names it");
    sources_text = read_file(where);
  } else {
    where = pk.uri + "/dists/" + pk.suite + "/" + pk.component + "/source/Sources";
    sources_text = signed_sources(pk, scratch.path(), log);
  }
  deb::Paragraph stanza = pick(deb::parse_deb822(sources_text, where, deb::Deb822Kind::kSources), s.name,
                               pk.version, where);
  auto listed = checksums(stanza, where);
  std::string dir = pk.kind == Packaging::Kind::kSources ? pk.uri : pk.uri + "/" + stanza.get("Directory");
  std::string files = dest + "/files";
  fs::create_directories(files);
  fs::create_directories(cache);
  Fetched f;
  f.version = stanza.get("Version");
  for (const auto& l : listed) {
    bool is_dsc = l.name.size() > 4 && l.name.compare(l.name.size() - 4, 4, ".dsc") == 0;
    std::string from = dir + "/" + l.name;
    try {
      fetch_file(from, cache, l, where, files + "/" + l.name, log);
    } catch (const InputError& e) {
      // A .dsc carried beside a Sources file but not Debian's (made from the
      // stanza, unsigned: tracker/sources/README.md) is not used; the
      // tarballs it would name are verified against the stanza all the same.
      if (!is_dsc || pk.kind != Packaging::Kind::kSources) throw;
      log(l.name + ": not the archive's .dsc (" + e.what() + "); unpacking the verified tarballs");
      continue;
    } catch (const OperationError& e) {  // not there (404 or no file); a wrong file is an InputError
      if (!is_dsc) throw;
      log(l.name + ": not served (" + e.what() + "); its files are verified against Sources");
      continue;
    }
    f.files.push_back(l.name);
    if (is_dsc) f.dsc = l.name;
  }
  if (!f.dsc.empty()) {  // its signature, then its own checksums must agree with Sources'
    std::string text = check_dsc_signature(files + "/" + f.dsc, pk, scratch.path(), log);
    auto in_dsc = checksums(deb::read_deb822(text, deb::Deb822Kind::kDsc).paragraphs.at(0), f.dsc);
    for (const auto& l : in_dsc) verify_file(files + "/" + l.name, l, f.dsc);
  }
  log("every file of " + s.name + " " + f.version + " verified");
  std::string up = f.version.substr(f.version.find(':') == std::string::npos ? 0 : f.version.find(':') + 1);
  up = up.substr(0, up.rfind('-'));
  f.tree = unpack(files, f.dsc, listed, dest + "/" + s.name + "-" + up, log);
  return f;
}

std::string fetch_inputs(const SourceEntry& s, const std::string& repository) {
  const Packaging& pk = s.packaging;
  if (pk.kind == Packaging::Kind::kRepository) {
    ProcessResult r = run_process({"git", "-C", repository, "rev-parse", "HEAD^{tree}"});
    if (r.exit_status != 0) throw OperationError("git rev-parse in " + repository + ": " + last_line_of(r.err));
    return r.out;
  }
  if (pk.kind == Packaging::Kind::kSources) return fs::exists(pk.uri + "/Sources") ? read_file(pk.uri + "/Sources") : "";
  std::string in = pk.uri + " " + pk.suite + " " + pk.component + " " + pk.version + " " + pk.keyring;
  for (const auto& k : pk.dsc_keyrings) in += " " + k;
  return in;
}

}  // namespace hapkg::pipeline
