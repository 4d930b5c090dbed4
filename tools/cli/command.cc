#include "cli/command.h"

#include <iostream>
#include <map>

namespace hapkg::cli {

std::map<const CLI::App*, Action>& actions() {
  static std::map<const CLI::App*, Action> m;
  return m;
}

void emit(const GlobalOptions& g, const nlohmann::json& json, const std::string& text) {
  if (g.json) std::cout << json.dump(2) << "\n";
  else if (!text.empty()) std::cout << text << (text.back() == '\n' ? "" : "\n");
  std::cout.flush();
}

void on_run(CLI::App* cmd, Action action) { actions()[cmd] = std::move(action); }

Exit run_selected(CLI::App& app) {
  CLI::App* leaf = &app;
  for (;;) {
    auto subs = leaf->get_subcommands();
    if (subs.empty()) break;
    leaf = subs.front();
  }
  auto it = actions().find(leaf);
  if (it == actions().end()) throw Error(Exit::kUsage, leaf->get_name() + ": a subcommand is required (see --help)");
  return it->second();
}

}  // namespace hapkg::cli
