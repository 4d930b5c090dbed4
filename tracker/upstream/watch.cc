#include "tracker/upstream/watch.h"

#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "deb/deb822.h"
#include "tracker/upstream/mangle.h"
#include "util/regex.h"
#include "util/strings.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::tracker {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (;;) {
    auto e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

std::vector<std::string> split_ws(const std::string& s, std::size_t max) {
  std::vector<std::string> out;
  std::size_t i = s.find_first_not_of(" \t");
  while (i != std::string::npos && i < s.size()) {
    if (out.size() + 1 == max) {
      out.push_back(s.substr(i));
      break;
    }
    auto e = s.find_first_of(" \t", i);
    out.push_back(s.substr(i, e == std::string::npos ? std::string::npos : e - i));
    if (e == std::string::npos) break;
    i = s.find_first_not_of(" \t", e);
  }
  return out;
}

void parse_opts(WatchLine& w, const std::string& opts_text) {
  std::string opts = trim(opts_text);
  if (opts.rfind("user-agent", 0) == 0 || opts.rfind("useragent", 0) == 0) return;
  for (const std::string& raw : split(opts, ',')) {
    std::string opt = trim(raw);
    if (opt.empty()) continue;
    auto eq = opt.find('=');
    std::string key = trim(opt.substr(0, eq));
    std::string val = eq == std::string::npos ? "" : trim(opt.substr(eq + 1));
    if (eq == std::string::npos) {
      if (key == "repack") w.repack = true;
      else if (key == "decompress") w.decompress = true;
      else if (key == "bare") w.bare = true;
      else if (key == "pasv" || key == "passive" || key == "active" || key == "nopasv" || key == "nopassive") {
      } else w.warnings.push_back("unrecognized option " + opt);
      continue;
    }
    if (key == "mode") w.mode = val;
    else if (key == "searchmode") w.searchmode = val;
    else if (key == "pgpmode") w.pgpmode = val;
    else if (key == "component") w.component = val;
    else if (key == "hrefdecode") w.hrefdecode = val;
    else if (key == "versionmangle") w.uversionmangle = w.dversionmangle = split(val, ';');
    else if (key == "uversionmangle") w.uversionmangle = split(val, ';');
    else if (key == "dversionmangle") {
      w.dversionmangle.clear();
      for (auto& r : split(val, ';')) w.dversionmangle.push_back(r == "auto" ? std::string("s/") + kDebExt + "//" : r);
    } else if (key == "filenamemangle") w.filenamemangle = split(val, ';');
    else if (key == "downloadurlmangle") w.downloadurlmangle = split(val, ';');
    else if (key == "pagemangle") w.pagemangle = split(val, ';');
    else if (key == "dirversionmangle") w.dirversionmangle = split(val, ';');
    else if (key == "oversionmangle") w.oversionmangle = split(val, ';');
    else if (key == "pgpsigurlmangle") {
      w.pgpsigurlmangle = split(val, ';');
      w.pgpmode = "mangle";
    } else if (key == "gitmode") {
      // uscan's two-letter shorthands; anything else is overridden to shallow
      w.gitmode = val.rfind("fu", 0) == 0 ? "full" : "shallow";
      if (val.rfind("sh", 0) != 0 && val.rfind("fu", 0) != 0)
        w.warnings.push_back("Override strange manual gitmode '" + val + "' --> 'shallow'");
    } else if (key == "pretty") w.pretty = val;
    else if (key == "date") w.date = val;
    else if (key == "compression" || key == "ctype" || key == "gitexport" || key == "repacksuffix" ||
             key == "unzipopt") {
    } else w.warnings.push_back("unrecognized option " + opt);
  }
}

// uscan's pgpmode check after all options are read: two-letter shorthands,
// and its two corrections (with its warnings).
void normalize_pgpmode(WatchLine& w) {
  const std::string m = w.pgpmode;
  auto is = [&](const char* p) { return m.rfind(p, 0) == 0; };
  if (is("au")) {
    w.pgpmode = "auto";
    if (!w.pgpsigurlmangle.empty()) {
      w.warnings.push_back("Ignore pgpsigurlmangle because pgpmode=auto");
      w.pgpsigurlmangle.clear();
    }
  } else if (is("ma")) {
    w.pgpmode = "mangle";
    if (w.pgpsigurlmangle.empty()) {
      w.warnings.push_back("Missing pgpsigurlmangle.  Setting pgpmode=default");
      w.pgpmode = "default";
    }
  } else if (is("no")) w.pgpmode = "none";
  else if (is("ne")) w.pgpmode = "next";
  else if (is("pr")) w.pgpmode = "previous";
  else if (is("se")) w.pgpmode = "self";
  else if (is("git")) w.pgpmode = "gittag";
  else w.pgpmode = "default";
}

void check_rules(const WatchLine& w, const std::vector<std::string>& rules, const char* name) {
  for (const auto& r : rules) {
    std::string probe = "1.0";
    try {
      apply_mangle(r, probe);
    } catch (const std::exception& e) {
      throw InputError(w.file, w.line, std::string(name) + ": " + e.what());
    }
  }
}

// "version=N": the watch file's format version (3 or 4 here).
int parse_version_line(const std::string& l, const std::string& file, std::size_t start) {
  auto m = full_match(R"(version\s*=\s*(\d+)(?:\s.*)?)", l);
  if (!m) throw InputError(file, start, "the first line must be version=4 (version 1 files are not supported)");
  const std::string& digits = (*m)[0];
  int version = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc() || end != digits.data() + digits.size()) version = -1;  // too large: unsupported
  if (version < 3 || version > 4)
    throw InputError(file, start, "watch file version " + digits + " is not supported (3 and 4 are)");
  return version;
}

// The opts="..." (or opts=...) prefix of a line: parsed into `w`; returns the rest.
std::string take_opts(WatchLine& w, const std::string& l) {
  auto m = full_match(R"(opt(?:ion)?s\s*=\s*(.*))", l);
  if (!m) return l;
  const std::string& rest = (*m)[0];
  auto q = full_match(R"re("(.*?)"(?:\s+(.*)|))re", rest);
  if (!q) q = full_match(R"re(([^"\s]\S*)(?:\s+(.*)|))re", rest);
  if (!q) throw InputError(w.file, w.line, "malformed opts=...");
  parse_opts(w, (*q)[0]);
  return (*q)[1];
}

// URL, pattern, version and script of a line (after its opts).
void take_fields(WatchLine& w, const std::string& rest) {
  auto f = split_ws(rest, 4);
  w.base = f[0];
  w.filepattern = f.size() > 1 ? f[1] : "";
  w.lastversion = f.size() > 2 ? f[2] : "";
  w.action = f.size() > 3 ? f[3] : "";
  // URL/pattern form: the last path component holds the parentheses.
  if (auto m = full_match(R"((.*/)([^/]*\([^/]*\)[^/]*))", w.base)) {
    w.base = (*m)[0];
    w.filepattern = (*m)[1];
    auto g = split_ws(rest, 3);
    w.lastversion = g.size() > 1 ? g[1] : "";
    w.action = g.size() > 2 ? g[2] : "";
  }
}

// What hapkg refuses in a parsed line, with uscan's reasons where it has them.
void validate(WatchLine& w) {
  auto bad = [&](const std::string& why) { return InputError(w.file, w.line, why); };
  if (w.mode == "LWP") {
    if (w.base.rfind("http://", 0) != 0 && w.base.rfind("https://", 0) != 0)
      throw bad("unknown protocol in '" + w.base + "' (http:// and https:// are supported)");
  } else if (w.mode != "git") {
    throw bad("mode=" + w.mode + " is not supported (LWP and git are)");
  }
  if (w.searchmode != "html" && w.searchmode != "plain") throw bad("unknown searchmode \"" + w.searchmode + "\"");
  if (w.filepattern.empty()) throw bad("watch line has no matching pattern");
  bool has_group = full_match(R"(.*\([^?].*\).*)", w.filepattern).has_value();
  if (!has_group && !w.versionless()) throw bad("pattern '" + w.filepattern + "' has no version delimiters ()");
  try {
    Regex probe("^" + w.filepattern + "$");
  } catch (const std::exception& e) {
    throw bad(e.what());
  }
  check_rules(w, w.uversionmangle, "uversionmangle");
  check_rules(w, w.dversionmangle, "dversionmangle");
  check_rules(w, w.filenamemangle, "filenamemangle");
  check_rules(w, w.downloadurlmangle, "downloadurlmangle");
  check_rules(w, w.pagemangle, "pagemangle");
  check_rules(w, w.pgpsigurlmangle, "pgpsigurlmangle");
}

// One logical watch line (continuations joined); nullopt for an opts= line
// alone (persistent options carry nothing we track).
std::optional<WatchLine> parse_watch_line(std::string l, const std::string& file, std::size_t start,
                                          const std::string& package) {
  replace_all(l, "@PACKAGE@", package);
  replace_all(l, "@ANY_VERSION@", kAnyVersion);
  replace_all(l, "@ARCHIVE_EXT@", kArchiveExt);
  replace_all(l, "@SIGNATURE_EXT@", std::string(kArchiveExt) + R"((?:\.(?:asc|pgp|gpg|sig|sign)))");
  replace_all(l, "@DEB_EXT@", kDebExt);
  WatchLine w;
  w.file = file;
  w.line = start;
  std::string rest = take_opts(w, l);
  normalize_pgpmode(w);
  rest = trim(rest);
  if (rest.empty()) return std::nullopt;
  take_fields(w, rest);
  validate(w);
  w.text = l;
  return w;
}

}  // namespace

WatchFile parse_watch(const std::string& text, const std::string& file, const std::string& package) {
  WatchFile wf;
  wf.file = file;
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::size_t start = i + 1;
    std::string l = lines[i];
    if (!l.empty() && l.back() == '\r') l.pop_back();
    std::string t = ltrim(l);
    if (t.empty() || t[0] == '#') continue;
    l = t;
    // A trailing backslash (not itself escaped) joins the next line.
    while (!l.empty() && l.back() == '\\' && !(l.size() >= 2 && l[l.size() - 2] == '\\')) {
      l.pop_back();
      if (i + 1 >= lines.size()) throw InputError(file, start, "watch file ends with a continuation backslash");
      std::string next = lines[++i];
      if (!next.empty() && next.back() == '\r') next.pop_back();
      l += wf.version > 3 || wf.version == 0 ? ltrim(next) : next;
    }
    if (wf.version == 0) {
      wf.version = parse_version_line(l, file, start);
      continue;
    }
    if (auto w = parse_watch_line(l, file, start, package)) wf.lines.push_back(std::move(*w));
  }
  if (wf.version == 0) throw InputError(file, 0, "empty watch file (no version= line)");
  return wf;
}

namespace {

// Version 5: deb822 paragraphs. Keys are case-insensitive and hyphens in
// them do not count; the first paragraph holds Version: 5 and defaults.
// Each source paragraph becomes the equivalent version 4 line.
WatchFile parse_watch_v5(const std::string& text, const std::string& file, const std::string& package) {
  deb::Deb822 d = deb::parse_deb822(text, file, deb::Deb822Kind::kControl);
  auto norm = [](std::string k) {
    std::string o;
    for (char c : k)
      if (c != '-') o.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return o;
  };
  auto fields = [&](const deb::Paragraph& p) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : p.fields) out.emplace_back(norm(f.name), f.value);
    return out;
  };
  if (d.paragraphs.empty()) throw InputError(file, 0, "empty watch file");
  std::vector<std::pair<std::string, std::string>> defaults;
  for (auto& [k, v] : fields(d.paragraphs[0]))
    if (k != "version") defaults.emplace_back(k, v);
  if (d.paragraphs[0].get("Version") != "5") throw InputError(file, d.paragraphs[0].line, "expected Version: 5");
  WatchFile wf;
  wf.file = file;
  wf.version = 5;
  static const std::set<std::string> opts_keys = {
      "mode", "searchmode", "pgpmode", "component", "hrefdecode", "uversionmangle", "dversionmangle",
      "versionmangle", "filenamemangle", "downloadurlmangle", "pagemangle", "pgpsigurlmangle",
      "dirversionmangle", "oversionmangle", "repack", "decompress", "bare", "compression", "ctype",
      "gitexport", "gitmode", "pretty", "date", "repacksuffix", "unzipopt"};
  for (std::size_t i = d.paragraphs.size() == 1 ? 0 : 1; i < d.paragraphs.size(); ++i) {
    const auto& p = d.paragraphs[i];
    std::map<std::string, std::string> f(defaults.begin(), defaults.end());
    for (auto& [k, v] : fields(p)) f[k] = v;
    if (f.count("untrackable")) continue;
    if (f.count("template")) throw InputError(file, p.line, "Template: is not supported");
    if (!f.count("source")) throw InputError(file, p.line, "paragraph without Source:");
    std::string opts, v4;
    for (auto& [k, v] : f) {
      if (k == "source" || k == "matchingpattern" || k == "version" || k == "updatescript" ||
          k == "versionschema")
        continue;
      if (!opts_keys.count(k)) throw InputError(file, p.line, "unknown field " + k);
      std::string val = v;
      if (k == "repack" || k == "decompress" || k == "bare") {
        if (val == "yes") opts += (opts.empty() ? "" : ",") + k;
        continue;
      }
      if (val.find('"') != std::string::npos || val.find(',') != std::string::npos)
        throw InputError(file, p.line, k + ": value may not contain '\"' or ','");
      opts += (opts.empty() ? "" : ",") + k + "=" + val;
    }
    std::string pattern = f.count("matchingpattern") ? f["matchingpattern"] : "(?:@PACKAGE@)?@ANY_VERSION@@ARCHIVE_EXT@";
    v4 = "version=4\n" + (opts.empty() ? "" : "opts=\"" + opts + "\" ") + f["source"] + " " + pattern + "\n";
    WatchFile one;
    try {
      one = parse_watch(v4, file, package);
    } catch (const InputError& e) {  // name the paragraph, not the synthetic line
      std::string msg = e.what(), prefix = file + ":2: ";
      throw InputError(file, p.line, msg.rfind(prefix, 0) == 0 ? msg.substr(prefix.size()) : msg);
    }
    for (auto& l : one.lines) {
      l.line = p.line;
      wf.lines.push_back(std::move(l));
    }
  }
  return wf;
}

}  // namespace

WatchFile read_watch(const std::string& path, const std::string& package) {
  std::string text = read_file(path);
  if (full_match(R"((?is)(?:\s*#[^\n]*\n)*\s*version\s*:\s*5\s*(?:\n.*)?)", text))
    return parse_watch_v5(text, path, package);
  return parse_watch(text, path, package);
}

}  // namespace hapkg::tracker
