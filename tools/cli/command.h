// What every hapkg subcommand shares: the global options and the way
// results reach stdout (text, or JSON with --json). A subcommand is a few
// lines over a library function; these helpers keep it that way.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "util/error.h"
#include "util/log.h"

namespace hapkg::cli {

struct GlobalOptions {
  bool json = false;
  int verbose = 0;
  bool quiet = false;
  ColorMode color = ColorMode::kAuto;
};

// Prints a command's result: `json` with --json, otherwise `text`
// (nothing when text is empty).
void emit(const GlobalOptions& g, const nlohmann::json& json, const std::string& text);

// Each command group adds its subcommands; the callback returns the exit code.
using Action = std::function<Exit()>;
// Registers what `cmd` does; main() runs the action of the subcommand the
// user selected, after the global options took effect.
void on_run(CLI::App* cmd, Action action);
Exit run_selected(CLI::App& app);

// Before CLI11 parses: the first word that is neither a global option nor
// a (sub)command throws a usage error naming it and the nearest command
// ("unknown command 'chnagelog' (did you mean 'changelog'?)"), where CLI11
// would only say that a subcommand is required.
void check_command_words(CLI::App& app, int argc, const char* const* argv);
// The command word of argv (the first that is not a global option or its
// value), for registering only that command: "" when there is none or a
// help flag comes before it (the help lists every command).
std::string command_word(const CLI::App& app, int argc, const char* const* argv);

void add_version_commands(CLI::App& app, GlobalOptions& g);
void add_changelog_commands(CLI::App& app, GlobalOptions& g);
void add_inspect_command(CLI::App& app, GlobalOptions& g);
void add_track_command(CLI::App& app, GlobalOptions& g);
void add_report_command(CLI::App& app, GlobalOptions& g);
void add_archive_commands(CLI::App& app, GlobalOptions& g);
void add_upgrade_commands(CLI::App& app, GlobalOptions& g);
void add_source_commands(CLI::App& app, GlobalOptions& g);
void add_patch_commands(CLI::App& app, GlobalOptions& g);
void add_pipeline_commands(CLI::App& app, GlobalOptions& g);
void add_node_commands(CLI::App& app, GlobalOptions& g);

}  // namespace hapkg::cli
