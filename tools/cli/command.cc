#include "cli/command.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <vector>

namespace hapkg::cli {

std::map<const CLI::App*, Action>& actions() {
  static std::map<const CLI::App*, Action> m;
  return m;
}

void emit(const GlobalOptions& g, const nlohmann::json& json, const std::string& text) {
  // Real changelogs and control files are sometimes Latin-1: bytes that
  // are not UTF-8 become U+FFFD, so the output is always valid JSON.
  if (g.json) std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
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
  const auto start = std::chrono::steady_clock::now();
  spdlog::debug("running '{}'", leaf->get_name());
  Exit code = it->second();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  spdlog::debug("'{}' took {} ms, exit {}", leaf->get_name(), ms.count(), static_cast<int>(code));
  return code;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// " (did you mean 'X'?)" for the candidate nearest to `word`.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (!best || d < best_distance) best = &c, best_distance = d;
  }
  return best ? " (did you mean '" + *best + "'? see hapkg --help)" : "";
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

const CLI::Option* option_named(const CLI::App& app, const std::string& name) {
  for (const CLI::Option* o : app.get_options())
    if (o->check_name(name)) return o;
  return nullptr;
}

// Whether `arg` is global options ("--color=x", "-vv", "-qv" included);
// `takes_value` says that the next word is the last option's value.
bool global_options(const CLI::App& app, const std::string& arg, bool& takes_value) {
  takes_value = false;
  if (arg.starts_with("--")) {
    const CLI::Option* o = option_named(app, arg.substr(0, arg.find('=')));
    takes_value = o && o->get_items_expected_min() > 0 && arg.find('=') == std::string::npos;
    return o != nullptr;
  }
  for (std::size_t k = 1; k < arg.size(); ++k) {
    const CLI::Option* o = option_named(app, std::string("-") + arg[k]);
    if (!o) return false;
    if (o->get_items_expected_min() > 0) {
      takes_value = k + 1 == arg.size();
      return true;
    }
  }
  return true;
}

}  // namespace

std::string command_word(const CLI::App& app, int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--" || arg == "-h" || arg == "--help") return "";
    if (arg.size() > 1 && arg[0] == '-') {
      bool takes_value = false;
      if (!global_options(app, arg, takes_value)) return "";
      if (takes_value) ++i;
      continue;
    }
    return arg;
  }
  return "";
}

void check_command_words(CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* level = &app;
  std::string path = "hapkg";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--" || command_names(*level).empty()) return;
    if (arg.size() > 1 && arg[0] == '-') {
      if (level != &app) continue;  // a command's own options: CLI11 checks them
      bool takes_value = false;
      if (!global_options(app, arg, takes_value)) {
        std::vector<std::string> names = command_names(app);
        for (const CLI::Option* g : app.get_options())
          for (const auto& l : g->get_lnames()) names.push_back("--" + l);
        throw Error(Exit::kUsage, "unknown option '" + arg + "'" + nearest(arg, names));
      }
      if (takes_value) ++i;
      continue;
    }
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : level->get_subcommands([](const CLI::App*) { return true; }))
      if (s->check_name(arg)) sub = s;
    if (!sub) {
      throw Error(Exit::kUsage, "unknown command '" + (level == &app ? arg : path.substr(6) + " " + arg) + "'" +
                                    nearest(arg, command_names(*level)));
    }
    level = sub;
    path += " " + arg;
  }
}

}  // namespace hapkg::cli
