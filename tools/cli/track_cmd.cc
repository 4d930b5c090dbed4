// hapkg track: which upstream releases are out that we have not packaged
// (uscan-compatible; see tracker/upstream/track.h).
#include <iostream>

#include <unistd.h>

#include "cli/command.h"
#include "tracker/upstream/track.h"

namespace hapkg::cli {

void add_track_command(CLI::App& app, GlobalOptions& g) {
  struct Opts {
    bool dehs = false, report = false, download = false;
    std::string manifest;
    std::vector<std::string> dirs, archives;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("track", "Find new upstream releases like uscan (debian/watch version 3, 4 or 5 "
                                          "(deb822); --dehs output)");
  cmd->footer(
      "Exit status as uscan's: 0 when a newer version is available, 1 when nothing is newer (uscan's rule), "
      "2 for a bad watch file or manifest (file:line), 3 when a site cannot be read.");
  cmd->add_flag("--dehs", o->dehs, "Print uscan --dehs XML");
  cmd->add_flag("--report", o->report, "Only report, download nothing (the default)");
  cmd->add_flag("--download", o->download,
                "Fetch the newest tarball (and signature, verified against debian/upstream/signing-key.asc) as "
                "../<src>_<ver>.orig.tar.*");
  cmd->add_option("--manifest", o->manifest, "deb822 manifest with Source:, Version: and Watch: fields");
  cmd->add_option("--archive", o->archives, "Sources index (file or URL) whose versions are shown beside ours");
  cmd->add_option("DIR", o->dirs, "Package trees (default: the current directory)");
  on_run(cmd, [o, &g] {
    if (o->report && o->download) throw InputError("--report and --download exclude each other");
    std::vector<tracker::TrackEntry> entries;
    if (!o->manifest.empty()) entries = tracker::read_manifest(o->manifest);
    if (o->manifest.empty() && o->dirs.empty()) o->dirs.push_back(".");
    for (const auto& d : o->dirs) entries.push_back(tracker::read_tree(d));
    tracker::scan_entries(entries);
    tracker::add_archive_versions(entries, o->archives);
    auto diag = tracker::diagnostics(entries);
    bool text = !o->dehs && !g.json;  // --dehs and --json carry the warnings in their output
    if (text)
      for (const auto& w : diag.warnings) spdlog::warn("{}", w);
    for (const auto& e : diag.errors) spdlog::error("{}", e);
    if (o->download) tracker::download_newer(entries, ::isatty(2) && !g.quiet);
    if (o->dehs) std::cout << tracker::render_dehs(entries) << std::flush;
    else emit(g, tracker::to_json(entries), tracker::render_table(entries, o->archives));
    return tracker::track_exit_status(entries, o->download);
  });
}

}  // namespace hapkg::cli
