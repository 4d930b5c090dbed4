#include "source/changes.h"

#include <algorithm>
#include <sstream>

#include "deb/deb822.h"
#include "deb/hashes.h"
#include "deb/source_tree.h"
#include "deb/version.h"
#include "source/vendor.h"
#include "util/error.h"
#include "util/gpg.h"
#include "util/file.h"
#include "util/log.h"
#include "util/process.h"

namespace hapkg::source {
namespace {

// The version without its epoch, as file names carry it.
std::string file_version(const deb::Version& v) { return v.upstream + (v.has_revision ? "-" + v.revision : ""); }

// The entries a .changes describes: those newer than `since` (-v), else
// just the top one. `previous` gets the version the upload follows.
std::vector<const deb::ChangelogEntry*> included_entries(const deb::Changelog& cl, const std::string& since,
                                                         const std::string& changelog, std::string& previous) {
  const auto& entries = cl.entries;
  std::vector<const deb::ChangelogEntry*> included;
  if (since.empty()) {
    included.push_back(&entries.front());
    if (entries.size() > 1) previous = entries[1].version;
    return included;
  }
  deb::parse_version(since, "--since");
  previous = since;
  for (const auto& e : entries) {
    if (deb::compare_versions(e.version, since) <= 0) break;
    included.push_back(&e);
  }
  if (included.empty()) throw InputError(changelog, entries.front().line, "no entry newer than " + since);
  return included;
}

// The .changes text with its .dsc lines (" <hash> <size> [<section>
// <priority> ]<name>") carrying the signed .dsc's size and hashes.
std::string with_signed_dsc(const std::string& text, const deb::FileHashes& d) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos + 1);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    bool listing = line.size() > 1 && line[0] == ' ' && (w.size() == 3 || w.size() == 5) && w.back() == d.name &&
                   w[1].find_first_not_of("0123456789") == std::string::npos;
    if (!listing) {
      out += line;
      continue;
    }
    const std::string& hash = w[0].size() == 32 ? d.md5 : w[0].size() == 40 ? d.sha1 : d.sha256;
    out += " " + hash + " " + std::to_string(d.size) + " " + (w.size() == 5 ? w[2] + " " + w[3] + " " : "") + d.name + "\n";
  }
  return out;
}
}  // namespace

std::string write_changes(const std::string& dir, const ChangesOptions& options) {
  deb::SourceTree tree = deb::read_source_tree(dir);
  const deb::ChangelogEntry& top = tree.changelog.entries.front();
  std::string changelog = dir + "/debian/changelog";
  std::string dist = top.distribution();
  if (dist == "UNRELEASED")
    throw InputError(changelog, top.line, "distribution UNRELEASED cannot be uploaded; set a real series");
  if (!options.targets.empty() && std::find(options.targets.begin(), options.targets.end(), dist) == options.targets.end())
    spdlog::warn("{}: distribution {} is not one of the configured targets", changelog, dist);
  std::string previous;
  std::vector<const deb::ChangelogEntry*> included = included_entries(tree.changelog, options.since, changelog, previous);
  std::string parent = parent_dir(dir);
  deb::Version version = deb::parse_version(top.version, changelog + ":" + std::to_string(top.line));
  std::string noepoch = file_version(version);
  std::string dsc_name = top.source + "_" + noepoch + ".dsc";
  std::string dsc_path = parent + "/" + dsc_name;
  deb::Deb822 dsc = deb::read_deb822(dsc_path, deb::Deb822Kind::kDsc);
  bool include_orig = options.orig == OrigInclusion::kAlways ||
                      (options.orig == OrigInclusion::kAuto &&
                       (previous.empty() || deb::parse_version(previous, changelog).upstream != version.upstream));
  std::vector<deb::FileHashes> files = {deb::hash_file(dsc_path)};
  for (const auto& listed : deb::parse_file_lines(dsc.paragraphs[0].get("Files"), dsc_path)) {
    const std::string& n = listed.name;
    if (n.find(".orig.tar.") != std::string::npos || n.find(".orig-") != std::string::npos)
      if (!include_orig) continue;
    files.push_back(deb::hash_file(parent + "/" + n));
  }
  const deb::Paragraph& src = tree.control.paragraphs[0];
  deb::Paragraph c;
  c.set("Format", "1.8");
  c.set("Date", top.date);
  c.set("Source", top.source);
  c.set("Architecture", "source");
  c.set("Version", top.version);
  c.set("Distribution", dist);
  c.set("Urgency", top.urgency());
  c.set("Maintainer", src.get("Maintainer"));
  c.set("Changed-By", top.maintainer);
  std::vector<std::string> closes, lp;
  std::string changes;
  for (const auto* e : included) {
    for (const auto& b : e->closes()) closes.push_back(b);
    for (const auto& b : e->launchpad_bugs()) lp.push_back(b);
    changes += e->dpkg_changes();
    if (e != included.back()) changes += "\n";
  }
  auto numeric_sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    v.erase(std::unique(v.begin(), v.end()), v.end());
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
  };
  if (!closes.empty()) c.set("Closes", numeric_sorted(closes));
  // Dpkg::Vendor::Ubuntu's hooks add this field right after Closes; the
  // Debian vendor has no such field.
  if (!lp.empty() && vendor_module(current_vendor()) == "Ubuntu") c.set("Launchpad-Bugs-Fixed", numeric_sorted(lp));
  c.set("Changes", deb::fold_value(changes));
  c.set("Checksums-Sha1", deb::checksums_sha1(files));
  c.set("Checksums-Sha256", deb::checksums_sha256(files));
  c.set("Files", deb::files_md5(files, src.get("Section", "-") + " " + src.get("Priority", "-")));
  for (const auto& f : src.fields)
    if (std::string name = deb::user_field_for(f.name, 'C'); !name.empty()) c.set(name, f.value);
  std::string out = parent + "/" + top.source + "_" + noepoch + "_source.changes";
  write_file_atomic(out, deb::render_paragraph(c, deb::Deb822Kind::kChanges, true, deb::FieldOrder::kAsIs));
  return out;
}

void sign_changes(const std::string& changes_path, const std::string& keyid) {
  if (keyid.empty() || keyid[0] == '-') throw InputError("invalid key id '" + keyid + "'");
  deb::Deb822 ch = deb::read_deb822(changes_path, deb::Deb822Kind::kChanges);
  std::string parent = parent_dir(changes_path);
  std::string dsc_name;
  for (const auto& listed : deb::parse_file_lines(ch.paragraphs[0].get("Files"), changes_path))
    if (listed.name.size() > 4 && listed.name.compare(listed.name.size() - 4, 4, ".dsc") == 0) dsc_name = listed.name;
  if (dsc_name.empty()) throw InputError(changes_path + ": lists no .dsc");
  std::string dsc_path = parent + "/" + dsc_name;
  std::string dsc_text = read_file(dsc_path);
  if (dsc_text.rfind("-----BEGIN PGP SIGNED MESSAGE-----", 0) == 0) {
    dsc_text = render_deb822(deb::read_deb822(dsc_path, deb::Deb822Kind::kDsc), deb::Deb822Kind::kDsc);
  }
  std::string signed_dsc = gpg::clearsign_text(dsc_text, keyid);
  std::string result = with_signed_dsc(render_deb822(ch, deb::Deb822Kind::kChanges), deb::hash_data(dsc_name, signed_dsc));
  write_file_atomic(dsc_path, signed_dsc);
  write_file_atomic(changes_path, gpg::clearsign_text(result, keyid));
}

}  // namespace hapkg::source
