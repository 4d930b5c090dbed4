// hapkg track: which upstream releases are out that we have not packaged
// (uscan-compatible; see tracker/upstream/track.h).
#include <iostream>

#include "cli/command.h"
#include <unistd.h>

#include "tracker/upstream/download.h"
#include "tracker/upstream/track.h"

namespace hapkg::cli {

void add_track_command(CLI::App& app, GlobalOptions& g) {
  struct Opts {
    bool dehs = false, report = false, download = false;
    std::string manifest;
    std::vector<std::string> dirs, archives;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("track", "Find new upstream releases like uscan (debian/watch v4, --dehs output)");
  cmd->add_flag("--dehs", o->dehs, "Print uscan --dehs XML");
  cmd->add_flag("--report", o->report, "Only report, download nothing (the default)");
  cmd->add_flag("--download", o->download,
                "Fetch the newest tarball (and signature, verified against debian/upstream/signing-key.asc) as "
                "../<src>_<ver>.orig.tar.*");
  cmd->add_option("--manifest", o->manifest, "deb822 manifest with Source:, Version: and Watch: fields");
  cmd->add_option("--archive", o->archives, "Sources index (file or URL) whose versions are shown beside ours");
  cmd->add_option("DIR", o->dirs, "Package trees (default: the current directory)");
  on_run(cmd, [o, &g] {
    std::vector<tracker::TrackEntry> entries;
    if (o->report && o->download) throw InputError("--report and --download exclude each other");
    if (!o->manifest.empty()) entries = tracker::read_manifest(o->manifest);
    if (o->manifest.empty() && o->dirs.empty()) o->dirs.push_back(".");
    for (const auto& d : o->dirs) entries.push_back(tracker::read_tree(d));
    for (auto& e : entries) tracker::scan_entry(e);
    for (const auto& a : o->archives) {
      auto index = tracker::read_sources_index(a);
      for (auto& e : entries) {
        auto it = index.find(e.source);
        if (it != index.end()) e.archives[a] = it->second;
      }
    }
    bool newer = false, failed = false, skipped = false;
    for (const auto& e : entries)
      for (const auto& r : e.results) {
        newer |= r.newer();
        skipped |= r.skipped;
        if (!r.error.empty()) {
          failed = true;
          spdlog::error("{}", r.error);
        }
      }
    if (o->download)
      for (const auto& e : entries)
        for (std::size_t i = 0; i < e.results.size(); ++i) {
          if (!e.results[i].newer() || e.tree.empty()) continue;
          // pgpmode=next: the next line (pgpmode=previous) finds the signature of this version.
          std::string sig;
          if (e.lines[i].pgpmode == "next" && i + 1 < e.lines.size() && e.lines[i + 1].pgpmode == "previous") {
            auto s = tracker::scan_line(e.lines[i + 1], e.source, e.version, &e.results[i].upstream_version);
            if (!s.error.empty()) throw OperationError(s.error);
            sig = s.upstream_url;
          }
          auto d = tracker::download_newest(e.lines[i], e.results[i], e.source, e.tree, e.tree + "/..",
                                            ::isatty(2) && !g.quiet, sig);
          spdlog::info("{}: wrote {}{}", e.source, d.path, d.signature.empty() ? "" : " (signature verified)");
        }
    if (o->dehs) std::cout << tracker::render_dehs(entries) << std::flush;
    else emit(g, tracker::to_json(entries), tracker::render_table(entries, o->archives));
    // uscan: 0 when a newer version is available, 1 when not.
    if (failed && !newer) return Exit::kFailure;
    if (skipped && !o->download) return Exit::kProblem;  // uscan: a skipped line's status 1 wins over "found"
    return newer ? Exit::kOk : Exit::kProblem;
  });
}

}  // namespace hapkg::cli
