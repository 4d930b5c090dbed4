// hapkg patch list|apply|unapply|check|refresh|import: fronts over patch/quilt.h.
#include "cli/command.h"
#include "patch/quilt.h"
#include "patch/series.h"

namespace hapkg::cli {
namespace {

// "<verb> <name>" lines, or {"<verb>": [names]} with --json.
Exit report(const GlobalOptions& g, const std::string& verb, const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : "\n") + verb + " " + n;
  emit(g, {{verb, names}}, text);
  return Exit::kOk;
}

}  // namespace

void add_patch_commands(CLI::App& app, GlobalOptions& g) {
  auto* patch = app.add_subcommand("patch", "Patch series in debian/patches (quilt format, zero fuzz)");
  patch->require_subcommand(1);
  auto dir = std::make_shared<std::string>(".");
  auto add_dir = [dir](CLI::App* c) { c->add_option("-C,--directory", *dir, "Source tree (default .)"); };

  auto* list = patch->add_subcommand("list", "The series, with what is applied");
  add_dir(list);
  on_run(list, [&g, dir] {
    patch::Series s = patch::read_series(*dir);
    auto applied = patch::applied_patches(*dir);
    nlohmann::json j = nlohmann::json::array();
    std::string text;
    for (size_t i = 0; i < s.patches.size(); ++i) {
      bool a = i < applied.size() && applied[i] == s.patches[i].name;
      j.push_back({{"name", s.patches[i].name}, {"applied", a}});
      text += std::string(a ? "A " : "U ") + s.patches[i].name + "\n";
    }
    if (!text.empty()) text.pop_back();
    emit(g, j, text);
    return Exit::kOk;
  });

  auto* apply = patch->add_subcommand("apply", "Apply every unapplied patch (all or nothing)");
  add_dir(apply);
  on_run(apply, [&g, dir] { return report(g, "applied", patch::push_all(*dir)); });

  auto* unapply = patch->add_subcommand("unapply", "Unapply every applied patch");
  add_dir(unapply);
  on_run(unapply, [&g, dir] { return report(g, "unapplied", patch::pop_all(*dir)); });

  auto* check = patch->add_subcommand("check", "Which patches apply cleanly, need fuzz, are upstream, or fail");
  add_dir(check);
  on_run(check, [&g, dir] {
    auto res = patch::check_series(*dir);
    nlohmann::json j = nlohmann::json::array();
    std::string text;
    bool ok = true;
    for (const auto& c : res) {
      j.push_back({{"name", c.name}, {"state", patch::to_string(c.state)}, {"detail", c.detail}});
      text += (text.empty() ? "" : "\n") + c.name + ": " + patch::to_string(c.state) +
              (c.detail.empty() ? "" : " (" + c.detail + ")");
      if (c.state != patch::PatchState::kClean && c.state != patch::PatchState::kApplied) ok = false;
    }
    emit(g, j, text);
    return ok ? Exit::kOk : Exit::kProblem;
  });

  auto name = std::make_shared<std::string>();
  auto* refresh = patch->add_subcommand("refresh", "Regenerate the topmost applied patch from the tree");
  add_dir(refresh);
  refresh->add_option("NAME", *name, "Patch name (the topmost applied one)")->required();
  on_run(refresh, [&g, dir, name] {
    bool changed = patch::refresh_patch(*dir, *name);
    emit(g, {{"name", *name}, {"changed", changed}}, (changed ? "refreshed " : "unchanged ") + *name);
    return Exit::kOk;
  });

  auto from = std::make_shared<std::string>();
  auto* import = patch->add_subcommand("import", "Add this project's series (patches/<source>) to debian/patches");
  add_dir(import);
  import->add_option("--from", *from, "Folder with a series file and patches")->required();
  on_run(import, [&g, dir, from] {
    return report(g, "imported", patch::import_series(*from, *dir));
  });
}

}  // namespace hapkg::cli
