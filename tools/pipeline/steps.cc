#include "pipeline/steps.h"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "deb/changelog.h"
#include "deb/deb822.h"
#include "pipeline/binaries.h"
#include "pipeline/fetch.h"
#include "pipeline/patching.h"
#include "pipeline/publish.h"
#include "pipeline/release_check.h"
#include "pipeline/report.h"
#include "pipeline/source_upload.h"
#include "pipeline/tracking.h"
#include "pipeline/upload.h"
#include "pipeline/versioning.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {

std::string maintainer(const Manifest& m) {
  if (!m.maintainer.empty()) return m.maintainer;
  const char* name = std::getenv("DEBFULLNAME");
  const char* email = std::getenv("DEBEMAIL");
  if (name && email) return std::string(name) + " <" + email + ">";
  return "hapkg pipeline <pipeline@hapkg.invalid>";
}

std::string tree_of(const StepContext& c, const std::string& step) {
  return c.output_of(step) + "/" + c.outputs_of(step).at("tree").get<std::string>();
}

StepDef fetch() {
  StepDef s{"fetch"};
  s.inputs = [](const StepContext& c) { return fetch_inputs(*c.source, c.options.build_root); };
  s.run = [](StepContext& c) {
    Fetched f = fetch_packaging(*c.source, c.options.build_root, c.out, c.state.dir() + "/cache/" + c.package,
                                [&](const std::string& l) { c.log(l); });
    c.outputs = {{"version", f.version}, {"tree", fs::path(f.tree).filename().string()}, {"files", f.files},
                 {"dsc", f.dsc}};
  };
  return s;
}

// The tree later steps start from: the track step's merge of a new
// upstream release when it made one, else the fetched packaging.
bool merged(const StepContext& c) { return c.outputs_of("track").value("merged", false); }
std::string packaging_tree(const StepContext& c) { return tree_of(c, merged(c) ? "track" : "fetch"); }

StepDef track() {
  StepDef s{"track"};
  // Upstream is scanned when this hash changes (the fetched packaging, the
  // manifest paragraph with its Watch lines, --new-upstream, our patches
  // the merge checks), not on every run: a run with nothing changed does
  // no work and no network.
  s.inputs = [](const StepContext& c) {
    return c.options.new_upstream ? "new-upstream\0" + patches_inputs(c.source->patches) : std::string();
  };
  s.run = [](StepContext& c) {
    auto fetched = c.outputs_of("fetch");
    std::string packaged = fetched.at("version");
    tracker::TrackEntry scanned;
    UpstreamStatus st = track_upstream(*c.source, packaged, tree_of(c, "fetch"), &scanned);
    c.log(st.summary());
    c.summary = st.summary();
    c.outputs = {{"tracked", st.tracked}, {"packaged", st.packaged}, {"upstream", st.newest},
                 {"status", st.status}, {"error", st.error}, {"merged", false}};
    if (!c.options.new_upstream || !st.newer()) return;
    Merged m = merge_new_upstream({c.source, &scanned, tree_of(c, "fetch"), c.out, maintainer(c.manifest)},
                                  [&](const std::string& l) { c.log(l); });
    std::vector<std::string> origs, dropped_ours;
    for (const auto& o : m.origs) origs.push_back(fs::path(o).filename().string());
    for (const auto& v : m.patches)
      if (v.ours && v.decision == PatchDecision::kDrop) dropped_ours.push_back(v.name);
    c.outputs.update({{"merged", true}, {"tree", fs::path(m.tree).filename().string()}, {"version", m.version},
                      {"origs", origs}, {"patches", verdicts_json(m.patches)}, {"dropped_ours", dropped_ours},
                      {"packaging", m.packaging}});
    c.summary += "; merged as " + m.version;
  };
  return s;
}

StepDef patch() {
  StepDef s{"patch"};
  s.inputs = [](const StepContext& c) { return patches_inputs(c.source->patches); };
  s.run = [](StepContext& c) {
    std::string from = packaging_tree(c);
    std::string tree = c.out + "/" + fs::path(from).filename().string();
    fs::copy(from, tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    // A merged tree has our packaging changes already; the upstream patches
    // the new release has are dropped.
    std::set<std::string> skip;
    std::vector<std::string> merged_packaging;
    if (merged(c)) {
      auto t = c.outputs_of("track");
      for (const auto& n : t.at("dropped_ours")) c.log("dropped (already upstream): " + *skip.insert(n.get<std::string>()).first);
      for (const auto& n : t.at("packaging")) merged_packaging.push_back(*skip.insert(n.get<std::string>()).first);
    }
    Patched p = apply_project_patches(tree, c.source->patches, skip);
    p.packaging.insert(p.packaging.begin(), merged_packaging.begin(), merged_packaging.end());
    for (const auto& n : p.packaging) c.log("packaging change applied: " + n);
    for (const auto& n : p.applied) c.log("applied: " + n);
    c.outputs = {{"tree", fs::path(tree).filename().string()}, {"packaging", p.packaging},
                 {"imported", p.imported}, {"applied", p.applied}};
  };
  return s;
}

StepDef version() {
  StepDef s{"version"};
  s.run = [](StepContext& c) {
    std::string current = deb::read_changelog(tree_of(c, "patch") + "/debian/changelog").entries.at(0).version;
    for (const auto& name : c.source->targets) {
      const SeriesEntry& se = c.manifest.series_named(name);
      VersionChoice v = choose_version(c.package, current, se, source_versions_in_packages(se.old_release, c.package),
                                       archive_source_versions(c.manifest.archive, name, c.package));
      c.log(name + ": " + v.version);
      for (const auto& a : v.checked_against) c.log("  above/below " + a);
      c.outputs[name] = {{"version", v.version}, {"from", current}, {"checked", v.checked_against}};
    }
  };
  return s;
}

StepDef source() {
  StepDef s{"source"};
  s.inputs = [](const StepContext& c) { return maintainer(c.manifest); };
  s.run = [](StepContext& c) {
    auto fetched = c.outputs_of("fetch");
    auto versions = c.outputs_of("version");
    auto patched = c.outputs_of("patch");
    std::vector<std::string> origs;
    if (merged(c)) {
      auto track = c.outputs_of("track");  // a named copy: a range-for over a temporary's member dangles
      for (const auto& f : track.at("origs")) origs.push_back(c.output_of("track") + "/" + f.get<std::string>());
    } else {
      for (const auto& f : fetched.at("files"))
        if (f.get<std::string>().find(".orig") != std::string::npos) origs.push_back(c.output_of("fetch") + "/files/" + f.get<std::string>());
    }
    for (const auto& o : origs) c.log("orig: " + o);
    for (const auto& name : c.source->targets) {
      SourceUploadRequest r;
      r.patched_tree = tree_of(c, "patch");
      r.origs = origs;
      r.out_dir = c.out + "/" + name;
      r.series = name;
      r.version = versions.at(name).at("version");
      r.maintainer = maintainer(c.manifest);
      std::string items = "Built for " + name + " by the hapkg pipeline from " +
                          versions.at(name).at("from").get<std::string>();
      std::string ours;
      for (const auto& p : patched.at("packaging")) ours += (ours.empty() ? "" : ", ") + p.get<std::string>();
      for (const auto& p : patched.at("imported")) ours += (ours.empty() ? "" : ", ") + p.get<std::string>();
      r.changes = {items + (ours.empty() ? "." : ", with " + ours + ".")};
      SourceUpload u = build_source_upload(r, [&](const std::string& l) { c.log(l); });
      c.outputs[name] = {{"dsc", u.dsc}, {"changes", u.changes}, {"files", u.files}, {"lintian", u.lintian}};
    }
  };
  return s;
}

StepDef sign(const SigningKey& key) {
  StepDef s{"sign"};
  s.inputs = [key](const StepContext&) { return key.fingerprint; };
  s.run = [key](StepContext& c) {
    auto src = c.outputs_of("source");
    nlohmann::json bins = c.source->binaries ? c.outputs_of("binaries") : nlohmann::json::object();
    for (const auto& name : c.source->targets) {
      std::string dir = c.out + "/" + name;
      fs::copy(c.output_of("source") + "/" + name, dir, fs::copy_options::recursive);
      std::vector<std::string> changes{src.at(name).at("changes")};
      if (bins.contains(name)) {
        fs::copy(c.output_of("binaries") + "/" + name, dir, fs::copy_options::recursive | fs::copy_options::skip_existing);
        changes.push_back(bins.at(name).at("changes"));
      }
      for (const auto& ch : changes) {
        sign_upload(dir + "/" + ch, key);
        c.log("signed " + ch + " with " + key.fingerprint);
      }
      c.outputs[name] = {{"changes", changes}};
    }
  };
  return s;
}

StepDef publish(const SigningKey& key) {
  StepDef s{"publish"};
  s.inputs = [key](const StepContext& c) { return c.manifest.archive + '\0' + key.fingerprint; };
  s.run = [key](StepContext& c) {
    auto signed_ = c.outputs_of("sign");
    auto src = c.outputs_of("source");
    for (const auto& name : c.source->targets) {
      SeriesUpload u;
      u.suite = name;
      u.signed_dir = c.output_of("sign") + "/" + name;
      u.source_changes = src.at(name).at("changes");
      u.source_files = src.at(name).at("files").get<std::vector<std::string>>();
      u.source_files.push_back(src.at(name).at("dsc"));
      for (const auto& ch : signed_.at(name).at("changes"))
        if (ch != u.source_changes) u.binary_changes.push_back(ch);
      u.stage = c.out + "/upload/" + name;
      u.label = c.package + " " + c.outputs_of("version").at(name).at("version").get<std::string>() + " source";
      auto added = publish_series(c.manifest, u, key, [&](const std::string& l) { c.log(name + ": " + l); });
      for (const auto& a : added) c.log(name + ": added " + a);
      c.outputs[name] = {{"added", added}};
    }
    write_file_atomic(c.out + "/archive", c.manifest.archive + "\n");
  };
  return s;
}

StepDef verify() {
  StepDef s{"verify"};
  s.per_package = false;
  s.run = [](StepContext& c) {
    std::string why;
    for (const auto& se : c.manifest.series) {
      UpgradeProof p = prove_upgrade(se, c.manifest.archive, c.out + "/" + se.name + "-root");
      write_file_atomic(c.out + "/" + se.name + ".json", p.report.dump(2) + "\n");
      for (const auto& l : p.apt_get) c.log(se.name + ": apt-get -s: " + l);
      c.outputs[se.name] = {{"ok", p.ok}, {"why", p.why}, {"apt_get", p.apt_get}};
      if (!p.ok) why += (why.empty() ? "" : "; ") + se.name + ": " + p.why;
      if (se.next_release.empty()) continue;
      ReleaseProof rp = prove_release_upgrade(se, c.manifest.archive, p.final_status, c.out + "/" + se.name + "-next");
      write_file_atomic(c.out + "/" + se.name + "-next.json",
                        nlohmann::json{{"with_archive", rp.with_archive}, {"baseline", rp.baseline}}.dump(2) + "\n");
      for (const auto& l : rp.apt_get) c.log(se.name + " -> next release: apt-get -s: " + l);
      for (const auto& b : rp.blockers) c.log(se.name + " -> next release: " + b);
      c.outputs[se.name]["next_release"] = {{"ok", rp.ok}, {"blockers", rp.blockers}};
      if (!rp.ok) {
        std::string all;
        for (const auto& b : rp.blockers) all += (all.empty() ? "" : "; ") + b;
        why += (why.empty() ? "" : "; ") + se.name + " -> next release: " + all;
      }
    }
    if (!why.empty()) throw Error(Exit::kProblem, "upgrade check failed: " + why);
  };
  return s;
}

StepDef report() {
  StepDef s{"report"};
  s.per_package = false;
  s.inputs = [](const StepContext& c) {
    std::string all;
    for (const auto& f : c.manifest.work_items) all += f + '\0' + read_file(f) + '\0';
    return all;
  };
  s.run = [](StepContext& c) {
    RunReport r = write_run_report(c.manifest, c.state, c.out);
    // Names inside the step's output: c.out is the staging directory,
    // renamed to output_of("report") once the step is done.
    std::string html = fs::path(r.html).filename().string();
    c.outputs = {{"markdown", fs::path(r.markdown).filename().string()}, {"html", html}, {"done", r.done},
                 {"total", r.total}};
    c.log("report: " + c.output_of("report") + "/" + html);
  };
  return s;
}

}  // namespace

std::vector<StepDef> pipeline_steps(const SigningKey& key) {
  std::vector<StepDef> s{fetch(), track(), patch(), version(), source()};
  s.push_back(binaries_step());
  s.push_back(sign(key));
  s.push_back(publish(key));
  s.push_back(verify());
  s.push_back(report());
  return s;
}

std::vector<std::string> step_names() {
  std::vector<std::string> out;
  for (const auto& s : pipeline_steps({})) out.push_back(s.name);
  return out;
}

std::function<std::vector<std::string>(const std::string&)> build_dependencies(const Manifest& m,
                                                                                 const StateStore& state) {
  // Read when called (after the patch step of every package), not now.
  auto control = [&state](const std::string& pkg) -> std::optional<deb::Deb822> {
    auto r = state.load(pkg, "patch");
    if (!r || r->result != "ok") return std::nullopt;
    std::string path = state.output_dir(pkg, "patch") + "/" + r->outputs.value("tree", "") + "/debian/control";
    if (!fs::exists(path)) return std::nullopt;
    return deb::read_deb822(path, deb::Deb822Kind::kControl);
  };
  return [&m, control](const std::string& pkg) {
    std::map<std::string, std::string> builds;  // binary package -> the manifest source that builds it
    for (const auto& s : m.sources)
      if (auto c = control(s.name))
        for (std::size_t i = 1; i < c->paragraphs.size(); ++i) builds[c->paragraphs[i].get("Package")] = s.name;
    std::vector<std::string> out;
    auto c = control(pkg);
    if (!c || c->paragraphs.empty()) return out;
    std::string deps = c->paragraphs[0].get("Build-Depends") + "," + c->paragraphs[0].get("Build-Depends-Indep") +
                       "," + c->paragraphs[0].get("Build-Depends-Arch");
    std::istringstream in(deps);
    for (std::string rel; std::getline(in, rel, ',');) {
      std::istringstream alt(rel);
      for (std::string a; std::getline(alt, a, '|');) {
        std::istringstream w(a);
        std::string name;
        w >> name;
        name = name.substr(0, name.find(':'));
        auto it = builds.find(name);
        if (it != builds.end() && it->second != pkg && std::find(out.begin(), out.end(), it->second) == out.end())
          out.push_back(it->second);
      }
    }
    return out;
  };
}

}  // namespace hapkg::pipeline
