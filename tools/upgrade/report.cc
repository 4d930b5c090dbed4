// Text and JUnit renderings of upgrade-check reports, and --scenarios files.
#include <algorithm>
#include <sstream>

#include "upgrade/check.h"
#include "deb/deb822.h"
#include "util/error.h"
#include "util/xml_escape.h"

namespace hapkg::upgrade {
namespace {

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : v + ",") {
    if (c == ',' || c == '\n') {
      auto b = cur.find_first_not_of(" \t"), e = cur.find_last_not_of(" \t");
      if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// One scenario paragraph over `o` (the defaults); InputError at the field.
template <class Path, class Paths>
void read_scenario(const deb::Paragraph& p, const std::string& file, const Path& path, const Paths& paths,
                   const UpgradeOptions& defaults, UpgradeOptions& o) {
  static const std::vector<std::string> known{
      "Name", "Old", "New", "PPA", "Old-Suite", "New-Suite", "PPA-Suite", "Status", "Extended-States", "Installed",
      "Mode", "Arch", "Pin", "Expect-Installed", "Expect-Version", "Expect-No-Removals", "Expect-No-Held",
      "Expect-PPA-Installable", "Expect-PPA-Apt-Installable", "Expect-PPA-Below-New"};
  for (const auto& f : p.fields)
    if (std::find(known.begin(), known.end(), f.name) == known.end())
      throw InputError(file, f.line, "unknown scenario field '" + f.name + "'");
  if (p.has("Old")) o.old_indices = paths(p.get("Old"));
  if (p.has("New")) o.new_indices = paths(p.get("New"));
  if (p.has("PPA")) o.ppa_indices = paths(p.get("PPA"));
  if (p.has("Old-Suite")) o.old_suite = p.get("Old-Suite");
  if (p.has("New-Suite")) o.new_suite = p.get("New-Suite");
  if (p.has("PPA-Suite")) o.ppa_suite = p.get("PPA-Suite");
  if (p.has("Status")) o.status = path(p.get("Status"));
  if (p.has("Installed")) o.installed = split_list(p.get("Installed"));
  if (p.has("Mode")) {
    o.mode = p.get("Mode");
    if (o.mode != "dist-upgrade" && o.mode != "upgrade" && o.mode != "upgrade-new")
      throw InputError(file, p.find("Mode")->line,
                       "unknown Mode '" + o.mode + "' (dist-upgrade, upgrade, upgrade-new)");
  }
  if (p.has("Extended-States")) o.extended_states = path(p.get("Extended-States"));
  if (p.has("Arch")) o.architectures = split_list(p.get("Arch"));
  if (p.has("Pin")) {  // "PRIO" or "INDEX=PRIO, ..." (INDEX relative to this file, as PPA)
    o.pin = 0;
    o.ppa_pins.clear();
    for (const auto& v : split_list(p.get("Pin"))) {
      auto eq = v.rfind('=');
      try {
        parse_pin(eq == std::string::npos ? v : path(v.substr(0, eq)) + v.substr(eq), o);
      } catch (const InputError&) {
        throw InputError(file, p.find("Pin")->line, "Pin: expected PRIORITY or INDEX=PRIORITY, got '" + v + "'");
      }
    }
  }
  if (p.has("Expect-Installed")) o.expect_installed = split_list(p.get("Expect-Installed"));
  if (p.has("Expect-Version")) o.expect_version = split_list(p.get("Expect-Version"));
  auto yes = [&](const char* f) {
    std::string v = p.get(f);
    if (v.empty()) return false;
    if (v == "yes" || v == "true") return true;
    if (v == "no" || v == "false") return false;
    throw InputError(file, p.find(f)->line, std::string(f) + " must be yes or no");
  };
  o.expect_no_removals = yes("Expect-No-Removals") || defaults.expect_no_removals;
  o.expect_no_held = yes("Expect-No-Held") || defaults.expect_no_held;
  o.expect_ppa_installable = yes("Expect-PPA-Installable") || defaults.expect_ppa_installable;
  o.expect_ppa_apt_installable = yes("Expect-PPA-Apt-Installable") || defaults.expect_ppa_apt_installable;
  o.expect_ppa_below_new = yes("Expect-PPA-Below-New") || defaults.expect_ppa_below_new;
}

}  // namespace

std::string render_upgrade_text(const nlohmann::json& r) {
  std::ostringstream o;
  if (!r["scenario"].get<std::string>().empty()) o << "scenario: " << r["scenario"].get<std::string>() << "\n";
  if (r.contains("error")) {
    o << "error: " << r["error"].get<std::string>() << "\nresult: ERROR";
    return o.str();
  }
  o << "mode: " << r["mode"].get<std::string>() << "; resolver: " << (r["resolver_ok"].get<bool>() ? "ok" : "FAILED")
    << "; before: installed=" << r["before"]["installed"] << " now_broken=" << r["before"]["now_broken"] << "\n";
  o << "summary: " << r["upgraded"].size() << " upgraded, " << r["new"].size() << " newly installed, "
    << r["removed"].size() << " to remove, " << r["held"].size() << " held back, " << r["downgraded"].size()
    << " downgraded, " << r["broken"].size() << " broken\n";
  for (const auto& u : r["upgraded"])
    o << "upgrade " << u["package"].get<std::string>() << " " << u["from"].get<std::string>() << " -> "
      << u["to"].get<std::string>() << "\n";
  for (const auto& u : r["downgraded"])
    o << "downgrade " << u["package"].get<std::string>() << " " << u["from"].get<std::string>() << " -> "
      << u["to"].get<std::string>() << "\n";
  for (const auto& u : r["new"])
    o << "install " << u["package"].get<std::string>() << " " << u["version"].get<std::string>()
      << (u["auto"].get<bool>() ? " (auto)" : "") << "\n";
  for (const auto& u : r["removed"]) {
    o << "remove " << u["package"].get<std::string>() << " " << u["version"].get<std::string>();
    if (u["replaced_by"].empty()) o << " [NO REPLACEMENT]";
    else {
      o << " [replaced by";
      for (const auto& b : u["replaced_by"]) o << " " << b.get<std::string>();
      o << "]";
    }
    o << "\n";
  }
  for (const auto& u : r["held"])
    o << "held " << u["package"].get<std::string>() << " " << u["installed"].get<std::string>() << " (candidate "
      << u["candidate"].get<std::string>() << (u["dpkg_hold"].get<bool>() ? ", dpkg hold" : "") << ")\n";
  for (const auto& u : r["broken"]) {
    o << "broken " << u["package"].get<std::string>() << ":";
    for (const auto& d : u["unmet"]) o << " " << d.get<std::string>() << ";";
    o << "\n";
  }
  for (const auto& u : r["regressions"])
    o << "version-regression " << u["package"].get<std::string>() << " installed " << u["installed"].get<std::string>()
      << " > newest " << u["newest"].get<std::string>() << "\n";
  for (const auto& u : r["obsolete"]) o << "obsolete " << u["package"].get<std::string>() << "\n";
  for (const auto& u : r["autoremovable"]) o << "autoremovable " << u.get<std::string>() << "\n";
  for (const auto& u : r["ppa_uninstallable"]) {
    o << "ppa-uninstallable " << u["package"].get<std::string>() << " " << u["version"].get<std::string>() << ":";
    for (const auto& d : u["unmet"]) o << " " << d.get<std::string>() << ";";
    o << "\n";
  }
  o << "ordering: " << r["ordering"].get<std::string>() << "\n";
  for (const auto& a : r["assertions"])
    o << (a["pass"].get<bool>() ? "PASS " : "FAIL ") << a["assertion"].get<std::string>() << " ("
      << a["detail"].get<std::string>() << ")\n";
  o << "not covered: " << r["not_covered"].get<std::string>() << "\n";
  o << "result: " << (r["ok"].get<bool>() ? "ok" : "PROBLEM");
  return o.str();
}

std::string render_junit(const std::vector<nlohmann::json>& reports) {
  int tests = 0, failures = 0;
  std::string cases;
  for (const auto& r : reports) {
    std::string suite = r["scenario"].get<std::string>().empty() ? "upgrade-check" : r["scenario"].get<std::string>();
    auto add = [&](const std::string& name, bool pass, const std::string& detail) {
      ++tests;
      cases += "    <testcase classname=\"" + xml_escape(suite) + "\" name=\"" + xml_escape(name) + "\"";
      if (pass) {
        cases += "/>\n";
      } else {
        ++failures;
        cases += ">\n      <failure message=\"" + xml_escape(detail) + "\">" + xml_escape(detail) +
                 "</failure>\n    </testcase>\n";
      }
    };
    if (r.contains("error")) {  // a scenario that could not run: its own failed case
      add("scenario runs", false, r["error"].get<std::string>());
      continue;
    }
    std::string broken;
    for (const auto& b : r["broken"]) {
      std::string unmet;
      for (const auto& u : b["unmet"]) unmet += (unmet.empty() ? "" : "; ") + u.get<std::string>();
      broken += (broken.empty() ? "" : "\n") + b["package"].get<std::string>() + " " +
                b.value("version", std::string()) + ": " + unmet;
    }
    add(r["mode"].get<std::string>() + " resolves", r["resolver_ok"].get<bool>() && r["broken"].empty(),
        broken.empty() ? "resolver failed" : broken);
    add("install ordering completes", r["ordering"] != "failed", r["ordering"].get<std::string>());
    for (const auto& a : r["assertions"])
      add(a["assertion"].get<std::string>(), a["pass"].get<bool>(), a["detail"].get<std::string>());
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hapkg upgrade-check\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\">\n  <testsuite name=\"upgrade-check\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\">\n" + cases +
         "  </testsuite>\n</testsuites>\n";
}

std::vector<UpgradeOptions> read_scenarios(const std::string& file, const UpgradeOptions& defaults) {
  auto doc = deb::read_deb822(file, deb::Deb822Kind::kGeneric);
  std::string dir = file.find('/') == std::string::npos ? "." : file.substr(0, file.rfind('/'));
  auto path = [&](const std::string& p) { return p.empty() || p[0] == '/' ? p : dir + "/" + p; };
  auto paths = [&](const std::string& v) {
    std::vector<std::string> out;
    for (const auto& p : split_list(v)) out.push_back(path(p));
    return out;
  };
  std::vector<UpgradeOptions> out;
  for (const auto& p : doc.paragraphs) {
    UpgradeOptions o = defaults;
    o.name = p.get("Name", "scenario " + std::to_string(out.size() + 1));
    o.where = InputError::at(file, p.fields.empty() ? 0 : p.fields.front().line);
    try {
      read_scenario(p, file, path, paths, defaults, o);
    } catch (const InputError& e) {
      o.input_error = e.what();
    }
    out.push_back(o);
  }
  if (out.empty()) throw InputError(file, 0, "no scenarios");
  return out;
}

}  // namespace hapkg::upgrade
