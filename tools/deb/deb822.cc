#include "deb/deb822.h"

#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>

#include <algorithm>
#include <cstring>
#include <strings.h>
#include <unistd.h>

#include <cerrno>

#include "deb/apt_init.h"
#include "util/error.h"
#include "util/strings.h"

namespace hapkg::deb {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool is_blank_line(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}


// One paragraph as the line pass sees it, before apt parses the fields.
struct RawField {
  std::string raw, stripped;  // with and without interior comment lines
  std::vector<std::string> comments_before;
  size_t line = 0;
};

}  // namespace

const Field* Paragraph::find(std::string_view name) const {
  for (const auto& f : fields)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

std::string Paragraph::get(std::string_view name, std::string_view fallback) const {
  const Field* f = find(name);
  return f ? f->value : std::string(fallback);
}

void Paragraph::set(std::string_view name, std::string_view value) {
  std::string raw = std::string(name) + ":";
  if (!value.empty() && value.front() != '\n') raw += " ";
  raw += std::string(value) + "\n";
  for (auto& f : fields)
    if (iequals(f.name, name)) {
      f.value = trim(value);
      f.raw = raw;
      return;
    }
  fields.push_back(Field{std::string(name), trim(value), raw, {}, 0});
}

void Paragraph::remove(std::string_view name) {
  std::erase_if(fields, [&](const Field& f) { return iequals(f.name, name); });
}

Deb822 parse_deb822(std::string_view text, const std::string& filename, Deb822Kind kind) {
  Deb822 doc;
  doc.filename = filename;
  const bool comments_allowed = kind == Deb822Kind::kControl;

  Paragraph* para = nullptr;
  std::vector<RawField> fields;
  std::vector<std::string> pending_comments;
  size_t lineno = 0;

  // Hands one paragraph's fields to apt's pkgTagSection, which does the
  // actual field parsing; the line pass only supplies boundaries.
  auto finish_paragraph = [&]() {
    if (!para) return;
    std::string stripped;
    for (const auto& f : fields) stripped += f.stripped;
    if (stripped.empty() || stripped.back() != '\n') stripped += '\n';
    stripped += '\n';
    pkgTagSection section;
    if (!section.Scan(stripped.data(), stripped.size()) || section.Count() != fields.size()) {
      std::string why = take_apt_errors();
      throw InputError(filename, para->line, "cannot parse paragraph" + (why.empty() ? "" : ": " + why));
    }
    for (unsigned i = 0; i < section.Count(); ++i) {
      const char *start, *stop;
      section.Get(start, stop, i);
      std::string_view whole(start, static_cast<size_t>(stop - start));
      size_t colon = whole.find(':');
      Field f;
      f.name = std::string(whole.substr(0, colon));
      f.value = trim(whole.substr(colon + 1));
      f.raw = std::move(fields[i].raw);
      f.comments_before = std::move(fields[i].comments_before);
      f.line = fields[i].line;
      para->fields.push_back(std::move(f));
    }
    para->trailing_comments = std::move(pending_comments);
    pending_comments.clear();
    fields.clear();
    para = nullptr;
  };

  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, end - pos);
    pos = end;
    ++lineno;

    if (is_blank_line(line)) {
      if (para) {
        if (!pending_comments.empty() && fields.empty())
          throw InputError(filename, lineno, "paragraph holds only comments");
        finish_paragraph();
        doc.paragraphs.back().separator += line;
      } else if (doc.paragraphs.empty()) {
        doc.leading += line;
      } else {
        doc.paragraphs.back().separator += line;
      }
      continue;
    }
    if (!para) {
      doc.paragraphs.emplace_back();
      para = &doc.paragraphs.back();
      para->line = lineno;
    }
    if (line.front() == '#') {
      if (!comments_allowed)
        throw InputError(filename, lineno, "comment lines are only allowed in debian/control");
      // Held until the next line shows where it belongs: a continuation line
      // keeps it inside the field (apt never sees it), a new field gets it
      // as the comment above it.
      pending_comments.emplace_back(line);
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (fields.empty())
        throw InputError(filename, lineno, "continuation line outside a field");
      if (!pending_comments.empty()) {
        for (auto& c : pending_comments) fields.back().raw += c;
        pending_comments.clear();
      }
      fields.back().raw += line;
      fields.back().stripped += line;
      continue;
    }
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon == std::string_view::npos ? 0 : colon);
    if (colon == std::string_view::npos || name.empty() ||
        name.find_first_of(" \t") != std::string_view::npos || name.front() == '-') {
      if (line.starts_with("-----BEGIN PGP"))
        throw InputError(filename, lineno, "OpenPGP armor where a field was expected (unsigned input expected here)");
      throw InputError(filename, lineno, "expected a field 'Name: value', got '" + trim(line) + "'");
    }
    for (const auto& f : fields) {
      std::string_view other(f.stripped.data(), f.stripped.find(':'));
      if (iequals(other, name))
        throw InputError(filename, lineno, "duplicate field '" + std::string(name) + "' in paragraph");
    }
    RawField f;
    f.raw = std::string(line);
    f.stripped = std::string(line);
    f.comments_before = std::move(pending_comments);
    pending_comments.clear();
    f.line = lineno;
    fields.push_back(std::move(f));
  }
  if (para) {
    if (fields.empty()) throw InputError(filename, para->line, "paragraph holds only comments");
    finish_paragraph();
  }
  return doc;
}

std::string read_deb822_text(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) {
    if (errno == ENOENT) throw InputError(path + ": no such file");
    throw_errno(path);
  }
  std::string head(40, '\0');
  {
    FileFd probe(path, FileFd::ReadOnly, FileFd::Extension);
    unsigned long long got = 0;
    probe.Read(head.data(), head.size(), &got);
    head.resize(got);
  }
  take_apt_errors();
  return read_apt_file(path, head.starts_with("-----BEGIN PGP SIGNED MESSAGE-----"));
}

Deb822 read_deb822(const std::string& path, Deb822Kind kind) {
  return parse_deb822(read_deb822_text(path), path, kind);
}

namespace {

// dpkg's field orders (Dpkg/Control/FieldsCore.pm, dpkg 1.21) for each kind.
const std::vector<std::string_view>& order_for(Deb822Kind kind, bool first_paragraph) {
  static const std::vector<std::string_view> vcs = {"Vcs-Browser", "Vcs-Arch", "Vcs-Bzr", "Vcs-Cvs", "Vcs-Darcs",
                                                    "Vcs-Git", "Vcs-Hg", "Vcs-Mtn", "Vcs-Svn"};
  static const std::vector<std::string_view> src_dep = {"Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep",
                                                        "Build-Conflicts", "Build-Conflicts-Arch",
                                                        "Build-Conflicts-Indep"};
  static const std::vector<std::string_view> bin_dep = {"Pre-Depends", "Depends", "Recommends", "Suggests",
                                                        "Enhances", "Conflicts", "Breaks", "Replaces",
                                                        "Provides", "Built-Using", "Static-Built-Using"};
  static const std::vector<std::string_view> tests = {"Testsuite", "Testsuite-Triggers"};
  static const std::vector<std::string_view> src_sums = {"Checksums-Md5", "Checksums-Sha1", "Checksums-Sha256"};
  static const std::vector<std::string_view> bin_sums = {"MD5sum", "SHA1", "SHA256"};
  auto cat = [](std::initializer_list<std::vector<std::string_view>> parts) {
    std::vector<std::string_view> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
  };
  static const auto info_src = cat({{"Source", "Section", "Priority", "Maintainer", "Uploaders", "Origin", "Bugs"},
                                    vcs, {"Homepage", "Standards-Version", "Rules-Requires-Root"}, src_dep, tests,
                                    {"Description"}});
  static const auto info_pkg = cat({{"Package", "Package-Type", "Section", "Priority", "Architecture",
                                     "Subarchitecture", "Multi-Arch", "Essential", "Protected", "Build-Essential",
                                     "Build-Profiles", "Built-For-Profiles", "Kernel-Version"},
                                    bin_dep, {"Homepage", "Installer-Menu-Item", "Task", "Tag", "Description"}});
  static const auto pkg_src = cat({{"Format", "Source", "Binary", "Architecture", "Version", "Origin", "Maintainer",
                                    "Uploaders", "Homepage", "Description", "Standards-Version"},
                                   vcs, tests, src_dep, {"Package-List"}, src_sums, {"Files"}});
  static const auto index_src = cat({{"Format", "Package", "Binary", "Architecture", "Version", "Priority", "Section",
                                      "Origin", "Maintainer", "Uploaders", "Homepage", "Description",
                                      "Standards-Version"},
                                     vcs, tests, src_dep, {"Package-List", "Directory"}, src_sums, {"Files"}});
  static const auto index_pkg = cat({{"Package", "Package-Type", "Source", "Version", "Kernel-Version",
                                      "Built-For-Profiles", "Auto-Built-Package", "Architecture", "Subarchitecture",
                                      "Installer-Menu-Item", "Build-Essential", "Essential", "Protected", "Origin",
                                      "Bugs", "Maintainer", "Installed-Size"},
                                     bin_dep, {"Filename", "Size"}, bin_sums,
                                     {"Section", "Priority", "Multi-Arch", "Homepage", "Description", "Tag", "Task"}});
  static const auto release = cat({{"Origin", "Label", "Suite", "Version", "Codename", "Changelogs", "Date",
                                    "Valid-Until", "NotAutomatic", "ButAutomaticUpgrades", "Acquire-By-Hash",
                                    "No-Support-for-Architecture-all", "Architectures", "Components", "Description",
                                    "MD5Sum", "SHA1", "SHA256", "SHA512"}});
  static const auto changes = cat({{"Format", "Date", "Source", "Binary", "Binary-Only", "Built-For-Profiles",
                                    "Architecture", "Version", "Distribution", "Urgency", "Maintainer", "Changed-By",
                                    "Description", "Closes", "Launchpad-Bugs-Fixed", "Changes"},
                                   src_sums, {"Files"}});
  static const std::vector<std::string_view> none;
  switch (kind) {
    case Deb822Kind::kControl: return first_paragraph ? info_src : info_pkg;
    case Deb822Kind::kDsc: return pkg_src;
    case Deb822Kind::kChanges: return changes;
    case Deb822Kind::kPackages: return index_pkg;
    case Deb822Kind::kSources: return index_src;
    case Deb822Kind::kRelease: return release;
    case Deb822Kind::kGeneric: return none;
  }
  return none;
}

void append_field(std::string& out, const Field& f) {
  for (const auto& c : f.comments_before) out += c;
  out += f.raw;
  if (out.empty() || out.back() != '\n') out += '\n';
}

}  // namespace

std::string render_paragraph(const Paragraph& p, Deb822Kind kind, bool first_paragraph, FieldOrder order) {
  std::string out;
  if (order == FieldOrder::kAsIs) {
    for (const auto& f : p.fields) {
      for (const auto& c : f.comments_before) out += c;
      out += f.raw;
    }
  } else {
    const auto& wanted = order_for(kind, first_paragraph);
    auto rank = [&](const Field& f) -> size_t {
      for (size_t i = 0; i < wanted.size(); ++i)
        if (iequals(wanted[i], f.name)) return i;
      return wanted.size();
    };
    std::vector<const Field*> sorted;
    for (const auto& f : p.fields) sorted.push_back(&f);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](const Field* a, const Field* b) { return rank(*a) < rank(*b); });
    for (const Field* f : sorted) append_field(out, *f);
  }
  for (const auto& c : p.trailing_comments) out += c;
  return out;
}

std::string fold_value(std::string_view value) {
  // Dpkg::Control::HashCore::output: trailing empty lines are dropped, every
  // line after the first loses its trailing blanks, and an empty or
  // dots-only line gets a "." in front (" ." for an empty one).
  std::vector<std::string_view> lines;
  for (size_t pos = 0;;) {
    size_t nl = value.find('\n', pos);
    lines.push_back(value.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  while (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  std::string out(lines.front());
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = rtrim_view(lines[i]);
    bool dots = line.find_first_not_of('.') == std::string_view::npos;  // also true when empty
    out += "\n";
    out += dots ? " ." : " ";
    out += line;
  }
  return out;
}

std::string render_deb822(const Deb822& doc, Deb822Kind kind, FieldOrder order) {
  std::string out = doc.leading;
  for (size_t i = 0; i < doc.paragraphs.size(); ++i) {
    const Paragraph& p = doc.paragraphs[i];
    out += render_paragraph(p, kind, i == 0, order);
    if (!p.separator.empty()) out += p.separator;
    else if (i + 1 < doc.paragraphs.size()) out += "\n";
  }
  return out;
}

}  // namespace hapkg::deb
