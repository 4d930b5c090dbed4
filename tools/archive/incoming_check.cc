// check_upload: Launchpad's acceptance rules for a source-only upload,
// applied to our archive. The messages are Launchpad's (archiveuploader
// nascentupload.py, nascentuploadfile.py, dscfile.py, uploadpolicy.py,
// soyuz queue.py); only the archive's name is ours.
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "archive/incoming.h"
#include "archive/repo.h"
#include "deb/deb822.h"
#include "deb/hashes.h"
#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"

namespace hapkg::archive {
namespace {

struct Reject {
  Rejection r;
};
[[noreturn]] void reject(const std::string& rule, const std::string& message) { throw Reject{{rule, message}}; }

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_orig(const std::string& name) {
  return name.find(".orig.tar.") != std::string::npos || name.find(".orig-") != std::string::npos;
}

bool is_binary(const std::string& name) {
  return ends_with(name, ".deb") || ends_with(name, ".udeb") || ends_with(name, ".ddeb");
}

// gpgv against the uploaders keyring; Launchpad's user policy accepts
// neither an unsigned .changes nor an unsigned .dsc.
void check_signed(const std::string& keyring, const std::string& path) {
  std::string verdict = gpg::check_signature(keyring, path);
  if (!verdict.empty()) reject("signature", "GPG verification of " + base_name(path) + " failed: " + verdict);
}

const char* const kHashFields[][2] = {
    {"Files", "MD5"}, {"Checksums-Sha1", "SHA1"}, {"Checksums-Sha256", "SHA256"}, {"Checksums-Sha512", "SHA512"}};

std::string hash_of(const deb::FileHashes& h, const std::string& kind) {
  return kind == "MD5" ? h.md5 : kind == "SHA1" ? h.sha1 : kind == "SHA256" ? h.sha256 : h.sha512;
}

// Every Files / Checksums-* line of `p` against the files in `dir`; a file
// the .dsc lists and the upload lacks is looked up by `missing` instead.
template <typename Locate>
void verify_listed(const deb::Paragraph& p, const std::string& where, Locate locate) {
  for (const auto& spec : kHashFields) {
    const deb::Field* f = p.find(spec[0]);
    if (!f) continue;
    for (const auto& l : deb::parse_file_lines(f->value, InputError::at(where, f->line))) {
      if (l.name.empty() || l.name.find('/') != std::string::npos || l.name[0] == '.')
        reject("malformed", "File " + l.name + " has an unsafe name");
      std::string path = locate(l.name);  // the upload's file or the pool's copy; rejects a missing one
      deb::FileHashes h = deb::hash_file(path);
      if (h.size != l.size)
        reject("checksums", "File " + l.name + " mentioned in the changes has a size mismatch. " +
                                std::to_string(h.size) + " != " + std::to_string(l.size));
      if (hash_of(h, spec[1]) != l.hash)
        reject("checksums", "File " + l.name + " mentioned in the changes has a " + spec[1] + " mismatch. " +
                                hash_of(h, spec[1]) + " != " + l.hash);
    }
  }
}

deb::Paragraph parse_one(const std::string& path, deb::Deb822Kind kind) {
  try {
    auto doc = deb::read_deb822(path, kind);
    if (doc.paragraphs.size() != 1) reject("malformed", base_name(path) + ": not one paragraph");
    return doc.paragraphs.front();
  } catch (const InputError& e) {
    reject("malformed", e.what());
  }
}

// Architecture and files: source only, as Launchpad's user upload policy.
void check_source_only(const deb::Paragraph& c, const std::vector<deb::ListedFile>& files) {
  auto arch = words(c.get("Architecture"));
  bool sourceful = std::find(arch.begin(), arch.end(), "source") != arch.end();
  bool binaryful = arch.size() > (sourceful ? 1u : 0u) ||
                   std::any_of(files.begin(), files.end(), [](const auto& f) { return is_binary(f.name); });
  if (sourceful && binaryful) reject("binaries", "Source/binary (i.e. mixed) uploads are not allowed.");
  if (binaryful)
    reject("binaries",
           "Upload rejected because it contains binary packages. Ensure you are using `debuild -S`, or an "
           "equivalent command, to generate only the source package before re-uploading.");
  auto dscs = std::count_if(files.begin(), files.end(), [](const auto& f) { return ends_with(f.name, ".dsc"); });
  if (dscs > 1) reject("malformed", "Changes file lists more than one .dsc");
  if (dscs == 0) reject("malformed", "Sourceful upload without a .dsc");
}

struct Ctx {
  std::string archive, dir, label, suite;
  std::vector<std::string> components;
  UploadCheck* out;
  std::set<std::string> uploaded;  // the names the .changes lists: only those count as the upload's
};

// The pool copy of `name` of source `src` (any configured component), or "".
std::string in_pool(const Ctx& ctx, const std::string& src, const std::string& name) {
  for (const auto& comp : ctx.components) {
    std::string p = ctx.archive + "/" + pool_dir(comp, src) + "/" + name;
    if (exists(p)) return p;
  }
  return "";
}

// dscfile.py: an orig is immutable once published; any other file of the
// same name means the same version again with other content.
void check_against_pool(const Ctx& ctx, const deb::Paragraph& dsc, const std::string& src,
                        const std::string& dscname) {
  const deb::Field* f = dsc.find("Checksums-Sha256");
  if (!f) reject("malformed", "the .dsc has no Checksums-Sha256 field");
  for (const auto& l : deb::parse_file_lines(f->value, "dsc")) {
    std::string pooled = in_pool(ctx, src, l.name);
    if (pooled.empty() || !ctx.uploaded.count(l.name)) continue;  // one left out: verify_listed looks it up
    if (deb::hash_file(pooled).sha256 == deb::hash_file(ctx.dir + "/" + l.name).sha256) continue;
    reject(is_orig(l.name) ? "orig-differs" : "same-version-other-content",
           "File " + l.name + " already exists in " + ctx.label + ", but uploaded version has different contents.");
  }
  // the .dsc by its signed content: the same source signed again is the same version again, not other content
  std::string pooled = in_pool(ctx, src, dscname);
  if (!pooled.empty() && deb::read_deb822_text(pooled) != deb::read_deb822_text(ctx.dir + "/" + dscname))
    reject("same-version-other-content",
           "File " + dscname + " already exists in " + ctx.label + ", but uploaded version has different contents.");
}

// uploadprocessor/nascentupload: greater than the suite's current version;
// the same version is never accepted twice (soyuz queue.py).
void check_version(const Ctx& ctx, const std::string& src, const std::string& ver, const std::string& dscname) {
  for (const auto& e : list_entries(ctx.archive, ctx.suite)) {
    if (e.kind != "dsc" || e.package != src) continue;
    int cmp = deb::compare_versions(ver, e.version);
    if (cmp < 0)
      reject("version-not-newer",
             dscname + ": Version older than that in the archive. " + ver + " <= " + e.version);
    if (cmp == 0)
      reject("version-not-newer", "The source " + src + " - " + ver + " is already accepted in " + ctx.label + "/" +
                                      ctx.suite + " and you cannot upload the same version within the same "
                                      "distribution. You have to modify the source version and re-upload.");
  }
}

void check_dsc(Ctx& ctx, const deb::Paragraph& c, const std::string& keyring, const std::string& dscname) {
  std::string dscpath = ctx.dir + "/" + dscname;
  check_signed(keyring, dscpath);
  deb::Paragraph dsc = parse_one(dscpath, deb::Deb822Kind::kDsc);
  std::string src = dsc.get("Source"), ver = dsc.get("Version");
  if (src != c.get("Source") || ver != c.get("Version"))
    reject("malformed", dscname + ": Source/Version differ from the .changes (" + src + " " + ver + ")");
  check_against_pool(ctx, dsc, src, dscname);
  verify_listed(dsc, dscpath, [&](const std::string& name) {
    if (ctx.uploaded.count(name)) return ctx.dir + "/" + name;
    std::string pooled = in_pool(ctx, src, name);
    if (pooled.empty()) reject(is_orig(name) ? "orig-missing" : "checksums",
                               "Unable to find " + name + " in upload or distribution.");
    ctx.out->from_pool.push_back(pooled);
    return pooled;
  });
  check_version(ctx, src, ver, dscname);
  ctx.out->source = src;
  ctx.out->version = ver;
}

void check(const std::string& changes, const std::string& archive, const std::string& keyring, UploadCheck& out) {
  check_signed(keyring, changes);
  deb::Paragraph c = parse_one(changes, deb::Deb822Kind::kChanges);
  for (const char* f : {"Source", "Architecture", "Version", "Distribution", "Maintainer", "Files", "Changes", "Date",
                        "Changed-By"})
    if (c.get(f).empty()) reject("malformed", std::string("Unable to find mandatory field '") + f +
                                                  "' in the changes file.");
  auto suites = read_config(archive);
  std::string series = c.get("Distribution");
  auto it = std::find_if(suites.begin(), suites.end(),
                         [&](const SuiteConfig& s) { return s.suite == series || s.codename == series; });
  if (it == suites.end()) reject("unknown-series", "Unable to find distroseries: " + series);
  Ctx ctx{archive, parent_dir(changes), it->label, it->suite, {}, &out};
  for (const auto& s : suites) ctx.components.insert(ctx.components.end(), s.components.begin(), s.components.end());
  out.suite = it->suite;
  auto files = deb::parse_file_lines(c.get("Files"), changes);
  for (const auto& f : files) {
    out.files.push_back(ctx.dir + "/" + f.name);
    ctx.uploaded.insert(f.name);
  }
  out.files.push_back(changes);
  verify_listed(c, changes, [&](const std::string& name) {
    if (!exists(ctx.dir + "/" + name)) reject("checksums", "File " + name + " mentioned in the changes was not found.");
    return ctx.dir + "/" + name;
  });
  check_source_only(c, files);
  for (const auto& f : files)
    if (ends_with(f.name, ".dsc")) check_dsc(ctx, c, keyring, f.name);
}

}  // namespace

std::string uploaders_keyring(const std::string& archive) { return archive + "/conf/uploaders.gpg"; }

UploadCheck check_upload(const std::string& changes, const std::string& archive, const std::string& keyring) {
  if (!exists(keyring)) throw InputError(keyring, 0, "no uploaders keyring (gpg --export the uploaders' keys there)");
  read_config(archive);  // a broken archive is the caller's error, not the upload's
  UploadCheck out;
  try {
    check(changes, archive, keyring, out);
  } catch (const Reject& r) {
    out.rejection = r.r;
  } catch (const InputError& e) {  // a field deb822 or the version rules refuse
    out.rejection = Rejection{"malformed", e.what()};
  }
  std::sort(out.from_pool.begin(), out.from_pool.end());
  out.from_pool.erase(std::unique(out.from_pool.begin(), out.from_pool.end()), out.from_pool.end());
  return out;
}

}  // namespace hapkg::archive
