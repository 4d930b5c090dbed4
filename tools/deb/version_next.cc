#include "deb/version_next.h"

#include <cctype>
#include <string_view>

#include "deb/version.h"
#include "util/error.h"

namespace hapkg::deb {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Where the run of digits (and, with dots, of digits and dots) that ends
// `s` starts.
size_t trailing_run(std::string_view s, bool dots = false) {
  size_t i = s.size();
  while (i > 0 && (is_digit(s[i - 1]) || (dots && s[i - 1] == '.'))) --i;
  return i;
}

// \d+(\.\d+)* over all of `s`.
bool is_dotted_number(std::string_view s) {
  if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (!is_digit(s[i]) && (s[i] != '.' || s[i + 1] == '.')) return false;
  return true;
}

// PREFIX\d+$: where PREFIX starts, or npos.
size_t tail_number_after(std::string_view s, std::string_view prefix) {
  size_t d = trailing_run(s);
  if (d == s.size() || d < prefix.size() || s.substr(d - prefix.size(), prefix.size()) != prefix)
    return std::string_view::npos;
  return d - prefix.size();
}

// Increments the trailing number of `s` (which must end in digits).
std::string bump_trailing_number(const std::string& s) {
  size_t i = s.size();
  while (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) --i;
  if (i == s.size()) return s + "1";
  // Keep it textual so leading zeros and long numbers survive.
  std::string digits = s.substr(i);
  int carry = 1;
  for (size_t k = digits.size(); k-- > 0 && carry;) {
    int d = digits[k] - '0' + carry;
    digits[k] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  if (carry) digits.insert(digits.begin(), '1');
  return s.substr(0, i) + digits;
}

// The version without a trailing "~..." suffix on its revision (or on the
// upstream part of a native version): the official upload a ~ppa or
// ~series backport anticipates.
Version strip_tilde_suffix(Version v) {
  std::string& tail = v.has_revision ? v.revision : v.upstream;
  size_t t = tail.find('~');
  if (t != std::string::npos && t > 0) tail.erase(t);
  return v;
}

// dch --vendor Ubuntu -i: ubuntuN -> ubuntuN+1 (also ubuntu0.22.04.1 ->
// ubuntu0.22.04.2), buildN -> ubuntu1, anything else gets ubuntu1 appended.
Version ubuntu_bump(Version v) {
  std::string& r = v.has_revision ? v.revision : v.upstream;
  const size_t run = trailing_run(r, true);
  const size_t build = tail_number_after(r, "build");
  if (run >= 6 && r.compare(run - 6, 6, "ubuntu") == 0 && is_dotted_number(std::string_view(r).substr(run)))
    r = bump_trailing_number(r);  // ubuntu(\d+\.)*\d+$
  else if (build != std::string::npos) r = r.substr(0, build) + "ubuntu1";
  else r += "ubuntu1";
  return v;
}

// dch -i for Debian: the last number of the revision goes up (1.0-1 ->
// 1.0-2); a native version's last number goes up (1.0 -> 1.1).
Version debian_bump(Version v) {
  std::string& r = v.has_revision ? v.revision : v.upstream;
  if (!r.empty() && std::isdigit(static_cast<unsigned char>(r.back()))) r = bump_trailing_number(r);
  else r += "1";
  return v;
}

// ubuntu\d+\+ppa anywhere in `v`.
bool has_ubuntu_plus_ppa(std::string_view v) {
  for (size_t p = v.find("ubuntu"); p != std::string_view::npos; p = v.find("ubuntu", p + 1)) {
    size_t e = p + 6;
    while (e < v.size() && is_digit(v[e])) ++e;
    if (e > p + 6 && v.substr(e).starts_with("+ppa")) return true;
  }
  return false;
}

}  // namespace

std::string next_version(const std::string& current, const NextVersionRequest& req) {
  Version cur = parse_version(current, "current version");
  if (!req.backport_series.empty() && !is_dotted_number(req.backport_series))
    throw InputError("invalid backport series version '" + req.backport_series + "' (expected e.g. 22.04)");

  Version base = cur;
  bool changed = true;
  if (!req.new_upstream.empty()) {
    Version up = parse_version(req.new_upstream, "new upstream version");
    if (up.has_epoch || up.has_revision)
      throw InputError("new upstream version '" + req.new_upstream + "' must not contain an epoch or revision");
    base.upstream = up.upstream;
    if (cur.has_revision) base.revision = req.ubuntu || req.ppa ? "0ubuntu1" : "1";
    if (compare_versions(base.str(), cur.str()) <= 0)
      throw InputError("new upstream version " + req.new_upstream + " is not newer than " + current);
  } else if (req.ubuntu) {
    Version stripped = strip_tilde_suffix(cur);
    base = stripped.str() != cur.str() ? stripped : ubuntu_bump(cur);
  } else if (req.ppa && req.backport_series.empty()) {
    // A PPA upload of the current package: one step below the next Ubuntu
    // upload, so the official version still supersedes it later.
    if (tail_number_after(current, "~ppa") != std::string::npos) return bump_trailing_number(current);
    base = ubuntu_bump(strip_tilde_suffix(cur));
  } else if (req.backport_series.empty()) {
    base = debian_bump(strip_tilde_suffix(cur));
  } else {
    changed = false;  // a backport of the current version as it is
  }
  std::string out = base.str();
  if (!req.backport_series.empty()) {
    // A repeated backport to the same series: bump ~S.N (or ~S.N~ppaM);
    // appending another ~ suffix would sort *below* the current version.
    // ~SERIES\.\d+(~ppa\d+)?$
    const size_t ppa = tail_number_after(out, "~ppa");
    const std::string_view before_ppa = std::string_view(out).substr(0, ppa == std::string::npos ? out.size() : ppa);
    const std::string series_prefix = "~" + req.backport_series + ".";
    if (!changed && tail_number_after(before_ppa, series_prefix) != std::string::npos) {
      if (ppa != std::string::npos && req.ppa) return bump_trailing_number(out);
      if (ppa != std::string::npos) out.erase(ppa);
      out = bump_trailing_number(out);
      return req.ppa ? out + "~ppa1" : out;
    }
    out += "~" + req.backport_series + ".1";
  }
  if (req.ppa) out += "~ppa1";
  return out;
}

AgainstCheck check_greater_than_all(const std::string& candidate, const std::vector<std::string>& others) {
  AgainstCheck r;
  parse_version(candidate, "candidate version");
  for (const auto& other : others) {
    parse_version(other, "--check-against");
    int c = compare_versions(candidate, other);
    if (c <= 0) {
      r.ok = false;
      r.problems.push_back(candidate + (c == 0 ? " is equal to " : " is lower than ") + other +
                           ": apt would not upgrade from " + other + " to it");
    }
  }
  if (has_ubuntu_plus_ppa(candidate)) {
    r.ok = false;
    r.problems.push_back(candidate + " puts +ppa after an ubuntuN revision: it outranks ubuntuN+1, so the next "
                                     "official upload would never replace it; use ~ppa");
  }
  return r;
}

}  // namespace hapkg::deb
