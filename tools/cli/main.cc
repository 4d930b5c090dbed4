// hapkg: the maintainer CLI. Parses global options, hands over to a
// subcommand, and turns every error into one line on stderr and the
// documented exit code.
#include <iostream>

#include "cli/command.h"
#include "util/progress.h"

#ifndef HAPKG_VERSION
#error "HAPKG_VERSION comes from debian/changelog through CMake"
#endif

int main(int argc, char** argv) {
  using namespace hapkg;
  using namespace hapkg::cli;
  CLI::App app{"hapkg: maintainer CLI and PPA pipeline for HA OpenStack on Debian/Ubuntu.\n"
               "Exit codes: 0 success, 1 a check found a problem, 2 usage error or invalid input,\n"
               "3 operational failure (I/O, missing tool, network).",
               "hapkg"};
  app.set_version_flag("--version", "hapkg " HAPKG_VERSION);
  app.require_subcommand(1);
  GlobalOptions g;
  std::string color = "auto";
  app.add_flag("--json", g.json, "Machine-readable result on stdout")->trigger_on_parse(false);
  app.add_flag("-v,--verbose", g.verbose, "More log output on stderr (repeatable)");
  app.add_flag("-q,--quiet", g.quiet, "Only errors on stderr");
  app.add_option("--color", color, "Colored log output")->check(CLI::IsMember({"auto", "always", "never"}));
  app.fallthrough();

  // Only the command named is registered: CLI11 builds every option of
  // every command it is given, most of a short command's own CPU
  // (`version compare`, docs/benchmarks.md). No command word, an unknown
  // one or a help flag before it: all, for the help and the suggestions.
  struct Command {
    const char* name;
    void (*add)(CLI::App&, GlobalOptions&);
  };
  static constexpr Command kCommands[] = {
      {"version", add_version_commands}, {"changelog", add_changelog_commands}, {"inspect", add_inspect_command},
      {"track", add_track_command},      {"report", add_report_command},       {"archive", add_archive_commands},
      {"upgrade-check", add_upgrade_commands}, {"node", add_node_commands},    {"source", add_source_commands},
      {"patch", add_patch_commands},     {"pipeline", add_pipeline_commands},
  };
  const std::string word = command_word(app, argc, argv);
  bool known = false;
  for (const auto& c : kCommands) known |= word == c.name;
  for (const auto& c : kCommands)
    if (!known || word == c.name) c.add(app, g);

  try {
    check_command_words(app, argc, argv);
    app.parse(argc, argv);
    Progress::set_allowed(!g.quiet);
    setup_logging(g.quiet ? -1 : g.verbose, color == "always" ? ColorMode::kAlways
                                            : color == "never" ? ColorMode::kNever
                                                               : ColorMode::kAuto);
    return static_cast<int>(run_selected(app));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "hapkg: error: " << e.what() << "\n";
    return static_cast<int>(Exit::kUsage);
  } catch (const Error& e) {
    std::cerr << "hapkg: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "hapkg: error: " << e.what() << "\n";
    return static_cast<int>(Exit::kFailure);
  }
}
