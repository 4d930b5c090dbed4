// hapkg inspect [DIR]: what hapkg makes of a source tree: its changelog,
// its versions (and the next ones for each kind of upload), and the .dsc
// fields it would produce. The README's first command runs it on this
// project's own debian/.
#include "cli/command.h"
#include "deb/source_tree.h"
#include "deb/version.h"
#include "deb/version_next.h"

namespace hapkg::cli {

void add_inspect_command(CLI::App& app, GlobalOptions& g) {
  auto dir = std::make_shared<std::string>(".");
  auto* cmd = app.add_subcommand("inspect", "Inspect a Debian source tree: changelog, versions, .dsc fields");
  cmd->add_option("DIR", *dir, "Source tree (default: current directory)");
  on_run(cmd, [&g, dir] {
    deb::SourceTree tree = deb::read_source_tree(*dir);
    const deb::ChangelogEntry& top = tree.changelog.entries.front();
    deb::Version v = deb::parse_version(top.version, tree.dir + "/debian/changelog");
    std::vector<std::pair<std::string, deb::NextVersionRequest>> purposes = {
        {"debian", {}}, {"ubuntu", {.ubuntu = true}}, {"ppa", {.ppa = true}},
        {"backport-24.04", {.backport_series = "24.04"}}};
    nlohmann::json next;
    std::string next_text;
    for (const auto& [name, req] : purposes) {
      std::string n = deb::next_version(top.version, req);
      next[name] = n;
      next_text += "  " + name + ": " + n + "\n";
    }
    deb::Paragraph dsc = deb::dsc_fields(tree);
    nlohmann::json dsc_json;
    for (const auto& f : dsc.fields) dsc_json[f.name] = f.value;
    nlohmann::json j = {{"source", top.source},
                        {"version", top.version},
                        {"epoch", v.epoch},
                        {"upstream_version", v.upstream},
                        {"revision", v.revision},
                        {"distribution", top.distribution()},
                        {"urgency", top.urgency()},
                        {"maintainer", top.maintainer},
                        {"timestamp", top.timestamp()},
                        {"entries", tree.changelog.entries.size()},
                        {"format", tree.format},
                        {"next_versions", next},
                        {"dsc", dsc_json}};
    std::string text = "Source tree " + tree.dir + ": " + top.source + " " + top.version + " (" +
                       top.distribution() + ", " + std::to_string(tree.changelog.entries.size()) +
                       " changelog entries)\n" + "  upstream " + v.upstream + ", revision " +
                       (v.has_revision ? v.revision : "(native)") + ", format " + tree.format +
                       ", SOURCE_DATE_EPOCH=" + std::to_string(top.timestamp()) + "\n" +
                       "Next versions:\n" + next_text + "The .dsc it would produce (checksums aside):\n" +
                       deb::render_paragraph(dsc, deb::Deb822Kind::kDsc, false, deb::FieldOrder::kCanonical);
    emit(g, j, text);
    return Exit::kOk;
  });
}

}  // namespace hapkg::cli
