#include "source/changes.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include "deb/deb822.h"
#include "deb/source_tree.h"
#include "deb/version.h"
#include "source/checksums.h"
#include "source/vendor.h"
#include "util/error.h"
#include "util/gpg.h"
#include "util/file.h"
#include "util/log.h"
#include "util/process.h"

namespace hapkg::source {
namespace {

std::string strip_epoch(const std::string& v) {
  size_t c = v.find(':');
  return c == std::string::npos ? v : v.substr(c + 1);
}
std::string upstream_of(const std::string& v) {
  std::string s = strip_epoch(v);
  size_t d = s.rfind('-');
  return d == std::string::npos ? s : s.substr(0, d);
}
std::string dir_parent(std::string d) {
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  size_t s = d.rfind('/');
  return s == std::string::npos ? "." : (s == 0 ? "/" : d.substr(0, s));
}
std::vector<std::string> file_names(const std::string& files_value) {
  std::vector<std::string> out;
  std::istringstream in(files_value);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::string word, name;
    int n = 0;
    while (w >> word) name = word, ++n;
    if (n >= 3) out.push_back(name);  // the name is the last word (.changes add section and priority)
  }
  return out;
}
}  // namespace

std::string write_changes(const std::string& dir, const ChangesOptions& options) {
  deb::SourceTree tree = deb::read_source_tree(dir);
  const auto& entries = tree.changelog.entries;
  const deb::ChangelogEntry& top = entries.front();
  std::string changelog = dir + "/debian/changelog";
  std::string dist = top.distribution();
  if (dist == "UNRELEASED")
    throw InputError(changelog, top.line, "distribution UNRELEASED cannot be uploaded; set a real series");
  if (!options.targets.empty() && std::find(options.targets.begin(), options.targets.end(), dist) == options.targets.end())
    spdlog::warn("{}: distribution {} is not one of the configured targets", changelog, dist);
  // The entries included: those newer than --since, else just the top one.
  std::vector<const deb::ChangelogEntry*> included;
  std::string previous;
  if (options.since.empty()) {
    included.push_back(&top);
    if (entries.size() > 1) previous = entries[1].version;
  } else {
    previous = options.since;
    for (const auto& e : entries) {
      if (deb::compare_versions(e.version, options.since) <= 0) break;
      included.push_back(&e);
    }
    if (included.empty()) throw InputError(changelog, top.line, "no entry newer than " + options.since);
  }
  std::string parent = dir_parent(dir);
  std::string noepoch = strip_epoch(top.version);
  std::string dsc_name = top.source + "_" + noepoch + ".dsc";
  std::string dsc_path = parent + "/" + dsc_name;
  deb::Deb822 dsc = deb::read_deb822(dsc_path, deb::Deb822Kind::kDsc);
  bool include_orig = options.orig == OrigInclusion::kAlways ||
                      (options.orig == OrigInclusion::kAuto &&
                       (previous.empty() || upstream_of(previous) != upstream_of(top.version)));
  std::vector<FileDigest> files = {digest_file(dsc_path)};
  for (const auto& n : file_names(dsc.paragraphs[0].get("Files"))) {
    if (n.find(".orig.tar.") != std::string::npos || n.find(".orig-") != std::string::npos)
      if (!include_orig) continue;
    files.push_back(digest_file(parent + "/" + n));
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
  c.set("Checksums-Sha1", checksums_sha1(files));
  c.set("Checksums-Sha256", checksums_sha256(files));
  c.set("Files", files_md5(files, src.get("Section", "-") + " " + src.get("Priority", "-")));
  static const std::regex user_field(R"(^X[SBC]*C[SBC]*-(.+)$)", std::regex::icase);
  for (const auto& f : src.fields) {
    std::smatch m;
    if (std::regex_match(f.name, m, user_field)) c.set(m[1].str(), f.value);
  }
  std::string out = parent + "/" + top.source + "_" + noepoch + "_source.changes";
  write_file_atomic(out, deb::render_paragraph(c, deb::Deb822Kind::kChanges, true, deb::FieldOrder::kAsIs));
  return out;
}

void sign_changes(const std::string& changes_path, const std::string& keyid) {
  if (keyid.empty() || keyid[0] == '-') throw InputError("invalid key id '" + keyid + "'");
  deb::Deb822 ch = deb::read_deb822(changes_path, deb::Deb822Kind::kChanges);
  std::string parent = dir_parent(changes_path);
  std::string dsc_name;
  for (const auto& n : file_names(ch.paragraphs[0].get("Files")))
    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".dsc") == 0) dsc_name = n;
  if (dsc_name.empty()) throw InputError(changes_path + ": lists no .dsc");
  std::string dsc_path = parent + "/" + dsc_name;
  std::string dsc_text = read_file(dsc_path);
  if (dsc_text.rfind("-----BEGIN PGP SIGNED MESSAGE-----", 0) == 0) {
    dsc_text = render_deb822(deb::read_deb822(dsc_path, deb::Deb822Kind::kDsc), deb::Deb822Kind::kDsc);
  }
  std::string signed_dsc = gpg::clearsign_text(dsc_text, keyid);
  FileDigest d = digest_data(dsc_name, signed_dsc);
  // Rewrite the .dsc lines of the .changes with the signed file's size and hashes.
  std::string text = render_deb822(ch, deb::Deb822Kind::kChanges);
  std::regex line_re("\\n ([0-9a-f]+) ([0-9]+) ((?:[^ \\n]+ [^ \\n]+ )?)" + std::regex_replace(dsc_name, std::regex(R"([.+^$()\[\]{}|\\*?])"), R"(\$&)") + "\\n");
  std::string result;
  std::smatch m;
  std::string rest = text;
  while (std::regex_search(rest, m, line_re)) {
    std::string hash = m[1].str();
    std::string repl = hash.size() == 32 ? d.md5 : hash.size() == 40 ? d.sha1 : d.sha256;
    result += m.prefix().str() + "\n " + repl + " " + std::to_string(d.size) + " " + m[3].str() + dsc_name + "\n";
    rest = m.suffix().str();
  }
  result += rest;
  write_file_atomic(dsc_path, signed_dsc);
  write_file_atomic(changes_path, gpg::clearsign_text(result, keyid));
}

}  // namespace hapkg::source
