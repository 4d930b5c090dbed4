#include "deb/source_tree.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <sstream>

#include "util/error.h"
#include "util/file.h"
#include "util/strings.h"

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

// debian/source/format: "<major>.<minor>" with an optional " (<word>)".
bool valid_format(const std::string& f) {
  size_t i = 0;
  auto digits = [&] {
    size_t b = i;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
    return i > b;
  };
  if (!digits() || i >= f.size() || f[i++] != '.' || !digits()) return false;
  if (i == f.size()) return true;
  if (f.compare(i, 2, " (") != 0 || f.back() != ')') return false;
  std::string_view word(f.data() + i + 2, f.size() - i - 3);
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// A relation operator at s[i] (the longest that fits), advancing i.
std::string relation_operator(std::string_view s, size_t& i) {
  for (const char* op : {"<<", "<=", ">=", ">>", "=", "<", ">"}) {
    std::string_view o(op);
    if (s.substr(i, o.size()) == o) {
      i += o.size();
      return std::string(o);
    }
  }
  return "";
}

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

// One alternative "name [(op version)] [[arch...]] [rest]" in dpkg's form.
std::string normalize_alternative(std::string_view alt) {
  size_t i = 0;
  while (i < alt.size() && !is_space(alt[i]) && alt[i] != '(' && alt[i] != '[' && alt[i] != '<') ++i;
  if (i == 0) return std::string(alt);
  std::string out(alt.substr(0, i));
  skip_space(alt, i);
  if (i < alt.size() && alt[i] == '(') {  // a version restriction, if well formed
    size_t j = i + 1;
    skip_space(alt, j);
    std::string op = relation_operator(alt, j);
    skip_space(alt, j);
    size_t v = j;
    while (j < alt.size() && !is_space(alt[j]) && alt[j] != ')') ++j;
    std::string_view version = alt.substr(v, j - v);
    skip_space(alt, j);
    if (!op.empty() && !version.empty() && j < alt.size() && alt[j] == ')') {
      out += " (" + op + " " + std::string(version) + ")";
      i = j + 1;
    }
  }
  skip_space(alt, i);
  if (i < alt.size() && alt[i] == '[') {
    size_t close = alt.find(']', i);
    if (close != std::string_view::npos) {
      out += " " + collapse_ws(std::string(alt.substr(i, close - i + 1)));
      i = close + 1;
    }
  }
  skip_space(alt, i);
  if (i < alt.size()) out += " " + collapse_ws(std::string(alt.substr(i)));
  return out;
}

// Binary: dpkg-source splits a list longer than 980 characters after a
// comma (s/(.{0,980}), ?/$1,\n/g).
std::string fold_binary_list(const std::string& list) {
  if (list.size() <= 980) return list;
  std::string out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t comma = list.rfind(',', std::min(list.size() - 1, pos + 980));
    if (comma == std::string::npos || comma < pos) break;
    out += list.substr(pos, comma - pos) + ",\n";
    pos = comma + 1;
    if (pos < list.size() && list[pos] == ' ') ++pos;
  }
  return out + list.substr(pos);
}

// debian/tests/control as dpkg reads it (Dpkg::Control::HashCore::parse
// skips '#' lines before it looks for a paragraph): a block of comment
// lines alone becomes blank lines, so it is no paragraph and every line
// keeps its number; comments inside a paragraph stay (kControl keeps them).
Deb822 read_tests_control(const std::string& path) {
  std::string text = read_file(path);
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = pos;  // one block: up to a blank line or the end
    bool comments_only = true;
    while (end < text.size()) {
      size_t nl = text.find('\n', end);
      std::string_view line(text.data() + end, (nl == std::string::npos ? text.size() : nl) - end);
      if (trim_view(line).empty()) break;
      if (line[0] != '#') comments_only = false;
      end = nl == std::string::npos ? text.size() : nl + 1;
    }
    std::string_view block(text.data() + pos, end - pos);
    if (comments_only) out.append(static_cast<size_t>(std::count(block.begin(), block.end(), '\n')), '\n');
    else out += block;
    size_t nl = text.find('\n', end);  // the blank line itself
    size_t next = nl == std::string::npos ? text.size() : nl + 1;
    out.append(text, end, next - end);
    pos = next;
  }
  return parse_deb822(out, path, Deb822Kind::kControl);
}

// Testsuite: the field's comma-separated values plus autopkgtest when
// debian/tests/control exists, sorted and unique (set_testsuite_fields).
std::string testsuite_value(const std::string& field, bool has_tests) {
  std::set<std::string> values;
  for (const auto& v : split(field, ','))
    if (!v.empty()) values.insert(v);
  if (has_tests) values.insert("autopkgtest");
  else values.erase("autopkgtest");
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

// Build-Profiles "<a b> <c>" as Package-List writes it: "a,b+c".
std::string profile_summary(const std::string& value) {
  std::string v = trim(value);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  std::string out;
  for (size_t i = 0; i < v.size();) {
    if (v[i] == '>') {  // ">\s+<": the next list
      size_t j = i + 1;
      while (j < v.size() && is_space(v[j])) ++j;
      if (j > i + 1 && j < v.size() && v[j] == '<') {
        out += '+';
        i = j + 1;
        continue;
      }
    }
    if (is_space(v[i])) {
      while (i < v.size() && is_space(v[i])) ++i;
      out += ',';
      continue;
    }
    out += v[i++];
  }
  return out;
}

}  // namespace

std::string user_field_for(const std::string& name, char target) {
  if (name.empty() || (name[0] != 'X' && name[0] != 'x')) return "";
  size_t i = 1;
  bool for_target = false;
  for (; i < name.size() && std::strchr("SBCsbc", name[i]); ++i)
    for_target = for_target || std::toupper(static_cast<unsigned char>(name[i])) == target;
  if (!for_target || i + 1 >= name.size() || name[i] != '-') return "";
  return name.substr(i + 1);
}

std::string dpkg_field_value(const Field& field) {
  std::string out;
  size_t pos = 0;
  bool first = true;
  while (pos < field.raw.size()) {
    size_t nl = field.raw.find('\n', pos);
    std::string_view line(field.raw.data() + pos, (nl == std::string::npos ? field.raw.size() : nl) - pos);
    pos = nl == std::string::npos ? field.raw.size() : nl + 1;
    line = rtrim_view(line);
    if (first) {  // "Name:" and the blanks around the colon are not the value
      size_t colon = line.find(':');
      out = colon == std::string_view::npos ? "" : std::string(ltrim_view(line.substr(colon + 1)));
      first = false;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;  // comment lines (HashCore::parse skips them)
    line.remove_prefix(1);  // the one blank that marks a continuation line
    if (!line.empty() && line.find_first_not_of('.') == std::string_view::npos) line.remove_prefix(1);
    out += "\n";
    out += line;
  }
  return out;
}

std::string merge_lines(const std::string& value) {
  // dpkg-source's s/\s*[\r\n]\s*/ /g: a run of white space that holds a
  // line break becomes one space; other runs stay as they are.
  std::string out;
  for (size_t i = 0; i < value.size();) {
    if (!is_space(value[i])) {
      out += value[i++];
      continue;
    }
    size_t j = i;
    while (j < value.size() && is_space(value[j])) ++j;
    std::string_view run(value.data() + i, j - i);
    if (run.find_first_of("\r\n") != std::string_view::npos) out += ' ';
    else out += run;
    i = j;
  }
  return out;
}

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
    if (!valid_format(f))
      throw InputError(dir + "/debian/source/format:1: invalid source format '" + f.substr(0, 80) + "'");
    t.format = f;
  }
  return t;
}

std::string normalize_relations(const std::string& value) {
  std::string out;
  for (const auto& group : split(value, ',')) {
    if (group.empty()) continue;
    std::string alts;
    for (const auto& alt : split(group, '|')) alts += (alts.empty() ? "" : " | ") + normalize_alternative(alt);
    out += (out.empty() ? "" : ", ") + alts;
  }
  return out;
}

// Package-List: one line per binary package, sorted as dpkg-source sorts
// them (Perl's sort: byte order).
std::string package_list(const SourceTree& t) {
  const Paragraph& src = t.control.paragraphs[0];
  std::string src_section = src.get("Section", "unknown"), src_priority = src.get("Priority", "unknown");
  std::vector<std::string> lines;
  for (size_t i = 1; i < t.control.paragraphs.size(); ++i) {
    const Paragraph& p = t.control.paragraphs[i];
    std::string type = p.get("Package-Type");
    if (type.empty()) type = p.get("XB-Package-Type", "deb");
    std::string line = p.get("Package") + " " + type + " " + p.get("Section", src_section) + " " +
                       p.get("Priority", src_priority);
    std::string arch_list;
    for (const auto& a : split(collapse_ws(p.get("Architecture")), ' ')) arch_list += (arch_list.empty() ? "" : ",") + a;
    line += " arch=" + arch_list;
    if (p.has("Build-Profiles")) line += " profile=" + profile_summary(p.get("Build-Profiles"));
    if (p.get("Protected") == "yes") line += " protected=yes";
    if (p.get("Essential") == "yes") line += " essential=yes";
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += "\n" + l;
  return out;
}

Paragraph dsc_fields(const SourceTree& t) {
  const Paragraph& src = t.control.paragraphs[0];
  const ChangelogEntry& top = t.changelog.entries.front();
  Paragraph dsc;
  dsc.set("Format", t.format);
  dsc.set("Source", top.source);
  std::string binaries;
  std::vector<std::string> arches;
  for (size_t i = 1; i < t.control.paragraphs.size(); ++i) {
    const Paragraph& p = t.control.paragraphs[i];
    std::string name = p.get("Package");
    if (name.empty()) throw InputError(t.dir + "/debian/control:" + std::to_string(p.line) + ": paragraph without Package");
    binaries += (binaries.empty() ? "" : ", ") + name;
    for (const auto& a : split(collapse_ws(p.get("Architecture")), ' '))
      if (std::find(arches.begin(), arches.end(), a) == arches.end()) arches.push_back(a);
  }
  dsc.set("Binary", fold_value(fold_binary_list(binaries)));
  std::string arch;
  bool any = std::find(arches.begin(), arches.end(), "any") != arches.end();
  bool all = std::find(arches.begin(), arches.end(), "all") != arches.end();
  if (any) arch = all ? "any all" : "any";
  else
    for (const auto& a : arches) arch += (arch.empty() ? "" : " ") + a;
  dsc.set("Architecture", arch);
  dsc.set("Version", top.version);
  // Copied as dpkg parses them (Dpkg::Control::HashCore) and writes them
  // back: a value that starts on a continuation line keeps its line
  // structure; Uploaders alone is merged into one line first, so such a
  // value starts with a space ("Uploaders:  A <a@x>, B <b@x>").
  for (const char* f : {"Origin", "Maintainer", "Uploaders", "Homepage", "Description", "Standards-Version",
                        "Vcs-Browser", "Vcs-Arch", "Vcs-Bzr", "Vcs-Cvs", "Vcs-Darcs", "Vcs-Git", "Vcs-Hg",
                        "Vcs-Mtn", "Vcs-Svn"})
    if (const Field* field = src.find(f)) {
      std::string v = dpkg_field_value(*field);
      dsc.set(f, fold_value(std::string_view(f) == "Uploaders" ? merge_lines(v) : v));
    }
  const bool has_tests = exists(t.dir + "/debian/tests/control");
  if (std::string testsuite = testsuite_value(src.get("Testsuite"), has_tests); !testsuite.empty())
    dsc.set("Testsuite", testsuite);
  if (const Field* manual = src.find("Testsuite-Triggers")) dsc.set("Testsuite-Triggers", fold_value(dpkg_field_value(*manual)));
  else if (has_tests) {
    // Testsuite-Triggers: every package the tests depend on, minus @ and
    // the package's own binaries, sorted (dpkg-source).
    Deb822 tests = read_tests_control(t.dir + "/debian/tests/control");
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
  dsc.set("Package-List", fold_value(package_list(t)));
  // X[SBC]*-Name fields meant for the .dsc (S) lose their prefix.
  for (const auto& f : src.fields)
    if (std::string name = user_field_for(f.name, 'S'); !name.empty()) dsc.set(name, fold_value(dpkg_field_value(f)));
  return dsc;
}

}  // namespace hapkg::deb
