#include "tracker/upstream/scan.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "deb/version.h"
#include "util/http.h"
#include "tracker/upstream/mangle.h"
#include "util/regex.h"
#include "util/tempdir.h"
#include "util/error.h"
#include "util/process.h"

namespace hapkg::tracker {
namespace {

std::string quotemeta(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

int extension_priority(const std::string& href) {
  auto has = [&](const char* re) { return Regex(re, true).search(href).has_value(); };
  int p = 0;
  if (has(R"(\.tar\.gz)")) p = 1;
  if (has(R"(\.tar\.bz2)")) p = 2;
  if (has(R"(\.tar\.lzma)")) p = 3;
  if (has(R"(\.tar\.xz)")) p = 4;
  return p;
}

std::string join_groups(const std::vector<std::string>& g) {
  std::string v;
  for (std::size_t i = 0; i < g.size(); ++i) v += (i ? "." : "") + g[i];
  return v;
}

std::string fix_href(std::string h) {
  h.erase(std::remove(h.begin(), h.end(), '\n'), h.end());
  auto b = h.find_first_not_of(" \t\r\f\v"), e = h.find_last_not_of(" \t\r\f\v");
  return b == std::string::npos ? "" : h.substr(b, e - b + 1);
}

// uscan's url_canonicalize_dots.
std::string canonicalize(const std::string& base, std::string url) {
  if (!Regex(R"(^[^:#?/]+://)").search(url)) {
    if (url.rfind("//", 0) == 0) {
      if (auto m = Regex(R"(^[^:#?/]+:)").search(base)) url = base.substr(0, m->end) + url;
    } else if (url.rfind("/", 0) == 0) {
      if (auto m = Regex(R"(^[^:#?/]+://[^/#?]*)").search(base)) url = base.substr(0, m->end) + url;
    } else if (auto m = Regex(R"(^[^:#?/]+://[^/#?]*(?:/(?:[^#?/]*/)*)?)").search(base)) {
      std::string b = base.substr(0, m->end);
      if (b.empty() || b.back() != '/') b += '/';
      url = b + url;
    }
  }
  if (auto m = Regex(R"(^([^:#?/]+://[^/#?]*)(/[^#?]*))").search(url)) {
    std::string h = *m->groups[0], p = *m->groups[1];
    apply_mangle(R"(s!/\.(?:/|$|(?=[#?]))!/!g)", p);
    for (int guard = 0; guard < 1000; ++guard) {
      std::string before = p;
      apply_mangle(R"(s!/(?\!\.\./)[^/]*/\.\.(?:/|(?=[#?])|$)!/!)", p);
      if (p == before) break;
    }
    url = h + p + url.substr(m->end);
  }
  return url;
}

// uscan's handle_redirection: a pattern (and its site and directory) for
// every URL the page was fetched through.
void add_redirections(const std::vector<std::string>& urls, const std::string& pattern,
                      std::vector<std::string>& patterns, std::vector<std::string>& sites,
                      std::vector<std::string>& dirs) {
  for (const auto& u : urls) {
    auto rs = full_match(R"((\w+://[^/]+).*)", u);
    if (!rs) continue;
    std::string d = u;
    apply_mangle(R"(s%^\w+://[^/]+/%/%)", d);
    apply_mangle(R"(s%/[^/]*(?:[#?].*)?$%/%)", d);
    patterns.push_back(quotemeta((*rs)[0]) + quotemeta(d) + pattern);
    sites.push_back((*rs)[0]);
    dirs.push_back(d);
  }
}

Candidate make_candidate(const std::vector<std::string>& mangles, const std::string& href, std::string version) {
  apply_mangles(mangles, version);
  return {version, href, version + "-" + std::to_string(extension_priority(href))};
}

std::string last_line_of(std::string err) {
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  auto nl = err.rfind('\n');
  return nl == std::string::npos ? err : err.substr(nl + 1);
}

// uscan's git_search for HEAD / heads/<branch>: a bare clone (shallow:
// --depth=1, of the branch; full: everything), then `git log -1` on the
// clone's HEAD in UTC with --date=format-local:DATE --pretty=PRETTY, or
// `git describe --tags` with '-' turned into '.' and uversionmangle
// (pretty=describe, which forces a full clone). Returns the version; `url`
// is uscan's upstream-url ("BASE HEAD", "BASE <branch>" when shallow,
// "BASE heads/<branch>" when full).
std::string git_versionless(const WatchLine& w, std::string& url) {
  std::string gitmode = w.pretty == "describe" ? "full" : w.gitmode;
  std::string newfile = w.filepattern;
  TempDir dir{"hapkg-track"};
  std::string repo = dir.path() + "/repo.git";
  std::vector<std::string> clone{"git", "clone", "--quiet", "--bare"};
  if (gitmode == "shallow") {
    clone.push_back("--depth=1");
    if (newfile != "HEAD") {
      newfile = newfile.substr(6);  // heads/<branch> -> <branch>
      clone.insert(clone.end(), {"-b", newfile});
    }
  }
  clone.insert(clone.end(), {"--", w.base, repo});
  ProcessResult c = run_process(clone);
  if (c.exit_status != 0) throw OperationError("git clone " + w.base + " failed: " + last_line_of(c.err));
  std::string version;
  if (w.pretty == "describe") {
    ProcessResult d = run_process({"git", "--git-dir=" + repo, "describe", "--tags"});
    if (d.exit_status != 0) throw OperationError("git describe --tags failed: " + last_line_of(d.err));
    version = d.out;
    std::replace(version.begin(), version.end(), '-', '.');
    while (!version.empty() && version.back() == '\n') version.pop_back();
    apply_mangles(w.uversionmangle, version);
  } else {
    ProcessOptions o;
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
      if (std::string_view(*e).substr(0, 3) != "TZ=") env.push_back(*e);
    env.push_back("TZ=UTC");
    o.env = env;
    ProcessResult l = run_process(
        {"git", "--git-dir=" + repo, "log", "-1", "--date=format-local:" + w.date, "--pretty=" + w.pretty}, o);
    if (l.exit_status != 0) throw OperationError("git log failed: " + last_line_of(l.err));
    version = l.out;
    if (!version.empty() && version.back() == '\n') version.pop_back();
  }
  url = w.base + " " + newfile;
  return version;
}

}  // namespace

std::string upstream_part(const std::string& v) {
  deb::VersionCheck c = deb::check_version(v);
  // dpkg's split (epoch before the first colon, revision after the last
  // hyphen); a version dpkg rejects outright is compared as it is.
  return c.severity == deb::VersionCheck::Severity::kError ? v : c.parts.upstream;
}

void sort_candidates(std::vector<Candidate>& c) {
  std::stable_sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    return deb::compare_versions(a.priority, b.priority) > 0;
  });
}

std::vector<Candidate> html_candidates(const WatchLine& w, std::string content, const std::string& base_url,
                                       const std::vector<std::string>& patterns, std::string& urlbase,
                                       const std::vector<std::string>& mangles) {
  apply_mangles(w.pagemangle, content);
  // Unquoted href=foo becomes href="foo"; comments go.
  apply_mangle(R"(s/href\s*=\s*(?=[^\"\'])([^\s>]+)/href="$1"/ig)", content);
  {
    std::string out;
    std::size_t pos = 0;
    Regex c2(R"((?s)<!-- .*?-->)");
    while (auto m = c2.search(content, pos)) {
      out += content.substr(pos, m->begin - pos);
      pos = m->end;
    }
    content = out + content.substr(pos);
  }
  urlbase = base_url;
  if (auto m = Regex(R"(<\s*base\s+[^>]*href\s*=\s*([\"\'])(.*?)\1)", true).search(content))
    urlbase = canonicalize(base_url, *m->groups[1]);
  std::vector<Regex> res;
  for (const auto& p : patterns) res.emplace_back("^" + p + "$");
  std::vector<Candidate> out;
  std::size_t pos = 0;
  // Perl's /s flag: '.' matches newlines too.
  Regex as(R"((?s)<\s*a\s+[^>]*(?<=\s)href\s*=\s*([\"\'])(.*?)\1)", true);
  while (auto m = as.search(content, pos)) {
    pos = m->end > m->begin ? m->end : m->begin + 1;
    std::string href = fix_href(*m->groups[1]);
    std::string canonical = canonicalize(urlbase, href);
    if (w.hrefdecode == "percent-encoding") {
      auto decode = [](const std::string& s) {
        std::string o;
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
              std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            unsigned byte = 0;  // two hex digits, checked above
            std::from_chars(s.data() + i + 1, s.data() + i + 3, byte, 16);
            o.push_back(static_cast<char>(byte));
            i += 2;
          } else {
            o.push_back(s[i]);
          }
        }
        return o;
      };
      href = decode(href);
      canonical = decode(canonical);
    }
    for (const auto& re : res) {
      for (const std::string* subject : {&href, &canonical}) {
        if (auto g = re.search(*subject)) {
          std::vector<std::string> groups;
          for (auto& x : g->groups) groups.push_back(x.value_or(""));
          out.push_back(make_candidate(mangles, canonical, join_groups(groups)));
        }
      }
    }
  }
  return out;
}

std::vector<Candidate> plain_candidates(const WatchLine& w, std::string content,
                                        const std::vector<std::string>& patterns) {
  std::vector<Candidate> out;
  for (const auto& p : patterns) {
    Regex re("(" + p + ")");
    std::size_t pos = 0;
    while (auto m = re.search(content, pos)) {
      // uscan passes the match's second group as a scalar, so parse_href
      // matches the text again and joins every group.
      std::string href = *m->groups[0];
      auto g = full_match(p, href);
      out.push_back(make_candidate(w.uversionmangle, href, g ? join_groups(*g) : ""));
      pos = m->end > m->begin ? m->end : m->begin + 1;
    }
  }
  return out;
}

std::vector<Candidate> git_candidates(const WatchLine& w, const std::string& ls_remote) {
  std::vector<Candidate> out;
  Regex line(R"(^\S+\s+([^\^\{\}]+)$)");
  Regex pat("^" + w.filepattern + "$");
  std::size_t b = 0;
  while (b < ls_remote.size()) {
    auto e = ls_remote.find('\n', b);
    std::string l = ls_remote.substr(b, e == std::string::npos ? std::string::npos : e - b);
    b = e == std::string::npos ? ls_remote.size() : e + 1;
    auto m = line.search(l);
    if (!m) continue;
    std::string ref = *m->groups[0];
    std::string version;
    if (auto g = pat.search(ref)) {
      std::vector<std::string> groups;
      for (auto& x : g->groups) groups.push_back(x.value_or(""));
      version = join_groups(groups);
    }
    apply_mangles(w.uversionmangle, version);
    out.push_back({version, ref, "1:" + version + "-0"});
  }
  return out;
}

std::string resolve_directory_patterns(const WatchLine& w, const std::string& base) {
  auto m = full_match(R"((\w+://[^/]+)/(.*))", base);
  if (!m) return base;
  const std::string& site = (*m)[0];
  std::vector<std::string> parts;  // Perl's split /(\/)/: pieces and the separators
  std::string rest = (*m)[1];
  for (std::size_t b = 0;;) {
    auto e = rest.find('/', b);
    if (e == std::string::npos) {
      parts.push_back(rest.substr(b));
      break;
    }
    parts.push_back(rest.substr(b, e - b));
    parts.push_back("/");
    b = e + 1;
  }
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  std::string dir = "/";
  for (const auto& part : parts) {
    if (!full_match(R"(.*\(.*\).*)", part)) {
      dir += part;
      continue;
    }
    std::string pattern = part + "/?", url = site + dir;
    FetchResult page;
    try {
      page = http_get(url);
    } catch (const Error& e) {
      throw OperationError(std::string("reading ") + e.what());
    }
    std::vector<std::string> bases = page.redirects, patterns, sites, dirs;
    bases.push_back(url);
    add_redirections(bases, pattern, patterns, sites, dirs);
    std::string urlbase;
    auto cands = html_candidates(w, page.body, url, patterns, urlbase, w.dirversionmangle);
    for (auto& c : cands) c.priority = "1:" + c.version + "-0";  // upstream_versort
    sort_candidates(cands);
    if (cands.empty()) throw OperationError("no matching directories for " + site + dir + pattern);
    std::string newdir = cands.front().href;
    if (!newdir.empty() && newdir.back() == '/') newdir.pop_back();
    newdir = newdir.substr(newdir.rfind('/') == std::string::npos ? 0 : newdir.rfind('/') + 1);
    dir += newdir;
  }
  return site + dir;
}

namespace {
// uscan: with a download version, the newest candidate of exactly that version.
bool pick_download_version(std::vector<Candidate>& cands, const std::string* download_version) {
  if (!download_version) return true;
  auto it = std::find_if(cands.begin(), cands.end(),
                         [&](const Candidate& c) { return c.version == *download_version; });
  if (it == cands.end()) return false;
  std::rotate(cands.begin(), it, it + 1);
  return true;
}
}  // namespace

namespace {

// -v: what a line found where ("versions found: 2.1.6, 2.1.5, ...").
void log_found(const WatchLine& w, const std::string& where, const std::vector<Candidate>& cands) {
  std::vector<std::string> versions;  // distinct, newest first (a link often matches twice)
  for (const auto& c : cands)
    if (std::find(versions.begin(), versions.end(), c.version) == versions.end()) versions.push_back(c.version);
  std::string list;
  for (std::size_t i = 0; i < versions.size() && i < 8; ++i) list += (i ? ", " : ": ") + versions[i];
  spdlog::debug("{}: {}: {} matches, {} versions found{}{}", InputError::at(w.file, w.line), where, cands.size(),
                versions.size(), list, versions.size() > 8 ? ", ..." : "");
}

// mode=git with tags: the newest ref `git ls-remote` lists. Returns the
// problem, "" when found.
std::string scan_git_refs(const WatchLine& w, const std::string* want, ScanResult& r) {
  spdlog::debug("{}: git ls-remote {}", InputError::at(w.file, w.line), w.base);
  ProcessResult p = run_process({"git", "ls-remote", "--", w.base});
  if (p.exit_status != 0) {
    std::string err = p.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    auto nl = err.rfind('\n');
    return "git ls-remote " + w.base + " failed: " + (nl == std::string::npos ? err : err.substr(nl + 1));
  }
  std::vector<Candidate> cands = git_candidates(w, p.out);
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return deb::compare_versions(a.priority, b.priority) > 0;
  });
  log_found(w, w.base, cands);
  if (cands.empty() || cands.front().version.empty()) return "no matching refs for watch line";
  if (!pick_download_version(cands, want)) return "no matching refs for version " + *want;
  r.upstream_version = cands.front().version;
  r.upstream_url = w.base + " " + cands.front().href;
  return "";
}

// The download URL of the newest candidate's href, as uscan builds it.
std::string download_url(const WatchLine& w, const std::string& href, const std::string& site,
                         const std::string& urlbase) {
  std::string url;
  if (Regex(R"(^\w+://)").search(href)) url = href;
  else if (href.rfind("//", 0) == 0) url = full_match(R"((https?:).*)", site).value_or(std::vector<std::string>{""})[0] + href;
  else if (href.rfind("/", 0) == 0) url = site + href;
  else url = urlbase + href;
  apply_mangle("s/&amp;/&/g", url);
  apply_mangles(w.downloadurlmangle, url);
  return url;
}

// An HTTP index page (html or plain search), with uscan's directory
// patterns and redirections. Returns the problem, "" when found.
std::string scan_http(const WatchLine& w, const std::string* want, ScanResult& r) {
  auto site = full_match(R"((\w+://[^/]+).*)", w.base);
  if (!site) return "cannot determine protocol and site of " + w.base;
  std::string base = w.base;
  try {
    base = resolve_directory_patterns(w, w.base);
  } catch (const Error& e) {
    return e.what();
  }
  std::string basedir = base;
  apply_mangle(R"(s%^\w+://[^/]+/%/%)", basedir);
  apply_mangle(R"(s%/[^/]*(?:[#?].*)?$%/%)", basedir);
  std::vector<std::string> patterns{"(?:(?:" + (*site)[0] + ")?" + quotemeta(basedir) + ")?" + w.filepattern};
  std::vector<std::string> sites{(*site)[0]}, basedirs{basedir};
  FetchResult page;
  try {
    spdlog::debug("{}: fetching {}", InputError::at(w.file, w.line), base);
    page = http_get(base);
  } catch (const Error& e) {
    return std::string("reading ") + e.what();
  }
  add_redirections(page.redirects, w.filepattern, patterns, sites, basedirs);
  std::string urlbase = base;
  std::vector<Candidate> cands = w.searchmode == "plain"
                                     ? plain_candidates(w, page.body, patterns)
                                     : html_candidates(w, page.body, base, patterns, urlbase, w.uversionmangle);
  sort_candidates(cands);
  log_found(w, base, cands);
  if (cands.empty()) return "no matching files for watch line";
  if (!pick_download_version(cands, want)) return "no matching hrefs for version " + *want;
  r.upstream_version = cands.front().version;
  r.upstream_url = download_url(w, cands.front().href, sites[0], urlbase);
  return "";
}

}  // namespace

ScanResult scan_line(const WatchLine& w, const std::string& package, const std::string& debian_version,
                     const std::string* download_version) {
  ScanResult r;
  r.package = package;
  r.component = w.component;
  r.file = w.file;
  r.line = w.line;
  r.warnings = w.warnings;
  auto fail = [&](const std::string& problem) {
    r.error = InputError::at(w.file, w.line) + ": " + problem;
    return r;
  };
  try {
    // A signature line (pgpmode=previous forces version `previous`): without
    // the previous line's download it is skipped, as uscan skips it.
    bool previous = w.pgpmode == "previous" || w.lastversion.rfind("prev", 0) == 0;
    if (previous && !download_version) {
      r.skipped = true;  // "Nothing was downloaded before, skipping pgp check"
      return r;
    }
    bool ignore = w.lastversion == "ignore", same = w.lastversion == "same" || previous;
    std::string last;
    if (ignore || same) {
      last = "";  // uscan's (empty) $minversion
      if (same && !download_version)
        return fail("Unable to set versionmode=prev for the line without opts=pgpmode=prev");  // uscan's words
    } else if (w.lastversion.empty() || w.lastversion == "debian" || w.lastversion == "group" ||
               w.lastversion == "checksum") {
      if (debian_version.empty()) return fail("cannot determine the current version (no debian/changelog)");
      last = upstream_part(debian_version);
    } else {
      last = w.lastversion;
    }
    r.debian_uversion = last;
    std::string mangled = last;
    apply_mangles(w.dversionmangle, mangled);
    r.debian_mangled_uversion = mangled;

    const std::string* want = same ? download_version : nullptr;
    if (w.versionless()) {
      std::string url;
      r.upstream_version = git_versionless(w, url);
      r.upstream_url = url;
    } else if (std::string problem = w.mode == "git" ? scan_git_refs(w, want, r) : scan_http(w, want, r);
               !problem.empty()) {
      return fail(problem);
    }
    if (ignore) {
      r.status = "package available";
      return r;
    }
    if (same) return r;  // a secondary tarball: uscan sets no status
    int c = deb::compare_versions("1:" + mangled + "-0", "1:" + r.upstream_version + "-0");
    r.status = c == 0 ? "up to date" : c > 0 ? "only older package available" : "newer package available";
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return r;
}

}  // namespace hapkg::tracker
