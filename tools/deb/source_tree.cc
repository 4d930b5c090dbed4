#include "deb/source_tree.h"

#include <sys/stat.h>

#include <regex>
#include <algorithm>
#include <sstream>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::deb {
namespace {

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string collapse_ws(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(collapse_ws(cur));
  return out;
}

}  // namespace

SourceTree read_source_tree(const std::string& dir) {
  SourceTree t;
  t.dir = dir;
  if (!exists(dir + "/debian")) throw InputError(dir + ": not a Debian source tree (no debian/ directory)");
  t.changelog = read_changelog(dir + "/debian/changelog");
  t.control = read_deb822(dir + "/debian/control", Deb822Kind::kControl);
  if (t.control.paragraphs.empty() || !t.control.paragraphs[0].has("Source"))
    throw InputError(dir + "/debian/control:1: the first paragraph must have a Source field");
  if (t.control.paragraphs.size() < 2)
    throw InputError(dir + "/debian/control: no binary package paragraph");
  t.format = "1.0";
  if (exists(dir + "/debian/source/format")) {
    std::string f = collapse_ws(read_file(dir + "/debian/source/format"));
    if (!std::regex_match(f, std::regex(R"(\d+\.\d+( \(\w+\))?)")))
      throw InputError(dir + "/debian/source/format:1: invalid source format '" + f + "'");
    t.format = f;
  }
  return t;
}

std::string normalize_relations(const std::string& value) {
  static const std::regex rel(R"(^([^\s(\[<]+)\s*(?:\(\s*(<<|<=|=|>=|>>|<|>)\s*([^\s)]+)\s*\))?\s*(\[[^\]]*\])?\s*(.*)$)");
  std::string out;
  for (const auto& group : split(value, ',')) {
    if (group.empty()) continue;
    std::string alts;
    for (const auto& alt : split(group, '|')) {
      std::smatch m;
      std::string norm = alt;
      if (std::regex_match(alt, m, rel)) {
        norm = m[1].str();
        if (m[2].matched) norm += " (" + m[2].str() + " " + m[3].str() + ")";
        if (m[4].matched) norm += " " + collapse_ws(m[4].str());
        if (m[5].length()) norm += " " + collapse_ws(m[5].str());
      }
      alts += (alts.empty() ? "" : " | ") + norm;
    }
    out += (out.empty() ? "" : ", ") + alts;
  }
  return out;
}

Paragraph dsc_fields(const SourceTree& t) {
  const Paragraph& src = t.control.paragraphs[0];
  const ChangelogEntry& top = t.changelog.entries.front();
  Paragraph dsc;
  dsc.set("Format", t.format);
  dsc.set("Source", top.source);
  std::string binaries, pkglist;
  std::vector<std::string> arches;
  for (size_t i = 1; i < t.control.paragraphs.size(); ++i) {
    const Paragraph& p = t.control.paragraphs[i];
    std::string name = p.get("Package");
    if (name.empty()) throw InputError(t.dir + "/debian/control:" + std::to_string(p.line) + ": paragraph without Package");
    binaries += (binaries.empty() ? "" : ", ") + name;
    std::string arch = collapse_ws(p.get("Architecture"));
    std::string line = name + " " + p.get("Package-Type", "deb") + " " + p.get("Section", src.get("Section", "-")) +
                       " " + p.get("Priority", src.get("Priority", "-"));
    std::string arch_list;
    for (const auto& a : split(arch, ' ')) {
      arch_list += (arch_list.empty() ? "" : ",") + a;
      if (std::find(arches.begin(), arches.end(), a) == arches.end()) arches.push_back(a);
    }
    line += " arch=" + arch_list;
    if (p.get("Protected") == "yes") line += " protected=yes";
    if (p.get("Essential") == "yes") line += " essential=yes";
    pkglist += "\n" + line;
  }
  dsc.set("Binary", binaries);
  std::string arch;
  bool any = std::find(arches.begin(), arches.end(), "any") != arches.end();
  bool all = std::find(arches.begin(), arches.end(), "all") != arches.end();
  if (any) arch = all ? "any all" : "any";
  else
    for (const auto& a : arches) arch += (arch.empty() ? "" : " ") + a;
  dsc.set("Architecture", arch);
  dsc.set("Version", top.version);
  for (const char* f : {"Origin", "Maintainer", "Uploaders", "Homepage", "Description", "Standards-Version",
                        "Vcs-Browser", "Vcs-Arch", "Vcs-Bzr", "Vcs-Cvs", "Vcs-Darcs", "Vcs-Git", "Vcs-Hg",
                        "Vcs-Mtn", "Vcs-Svn"})
    if (src.has(f)) dsc.set(f, collapse_ws(src.get(f)));
  std::string testsuite = src.get("Testsuite");
  if (testsuite.empty() && exists(t.dir + "/debian/tests/control")) testsuite = "autopkgtest";
  if (!testsuite.empty()) dsc.set("Testsuite", testsuite);
  if (exists(t.dir + "/debian/tests/control")) {
    // Testsuite-Triggers: every package the tests depend on, minus @ and
    // the package's own binaries, sorted (dpkg-source).
    Deb822 tests = read_deb822(t.dir + "/debian/tests/control", Deb822Kind::kGeneric);
    std::vector<std::string> own, triggers;
    for (size_t i = 1; i < t.control.paragraphs.size(); ++i) own.push_back(t.control.paragraphs[i].get("Package"));
    for (const auto& p : tests.paragraphs)
      for (const auto& group : split(p.get("Depends"), ','))
        for (const auto& alt : split(group, '|')) {
          std::string name = alt.substr(0, alt.find_first_of(" (<[:"));
          if (name.empty() || name[0] == '@' || std::find(own.begin(), own.end(), name) != own.end()) continue;
          if (std::find(triggers.begin(), triggers.end(), name) == triggers.end()) triggers.push_back(name);
        }
    std::sort(triggers.begin(), triggers.end());
    std::string v;
    for (const auto& n : triggers) v += (v.empty() ? "" : ", ") + n;
    if (!v.empty()) dsc.set("Testsuite-Triggers", v);
  }
  for (const char* f : {"Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep", "Build-Conflicts",
                        "Build-Conflicts-Arch", "Build-Conflicts-Indep"})
    if (src.has(f)) dsc.set(f, normalize_relations(src.get(f)));
  dsc.set("Package-List", fold_value(pkglist));
  // X[SBC]*-Name fields meant for the .dsc (S) lose their prefix.
  static const std::regex user_field(R"(^X[SBC]*S[SBC]*-(.+)$)", std::regex::icase);
  for (const auto& f : src.fields) {
    std::smatch m;
    if (std::regex_match(f.name, m, user_field)) dsc.set(m[1].str(), f.value);
  }
  return dsc;
}

}  // namespace hapkg::deb
