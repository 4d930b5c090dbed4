// hapkg changelog show|new: thin fronts over deb/changelog.h.
#include <iostream>

#include "cli/command.h"
#include "deb/changelog.h"
#include "deb/deb822.h"
#include "util/file.h"

namespace hapkg::cli {
namespace {

// The fields of one entry, named and ordered as dpkg-parsechangelog does.
deb::Paragraph entry_fields(const deb::ChangelogEntry& e) {
  deb::Paragraph p;
  p.set("Source", e.source);
  p.set("Version", e.version);
  p.set("Distribution", e.distribution());
  p.set("Urgency", e.urgency());
  p.set("Maintainer", e.maintainer);
  p.set("Timestamp", std::to_string(e.timestamp()));
  p.set("Date", e.date);
  auto closes = e.closes();
  if (!closes.empty()) {
    std::string c;
    for (const auto& n : closes) c += (c.empty() ? "" : " ") + n;
    p.set("Closes", c);
  }
  auto lp = e.launchpad_bugs();
  if (!lp.empty()) {
    std::string c;
    for (const auto& n : lp) c += (c.empty() ? "" : " ") + n;
    p.set("Launchpad-Bugs-Fixed", c);
  }
  p.set("Changes", deb::fold_value(e.dpkg_changes()));
  return p;
}

nlohmann::json entry_json(const deb::ChangelogEntry& e) {
  return {{"Source", e.source},       {"Version", e.version},     {"Distribution", e.distribution()},
          {"Urgency", e.urgency()},   {"Maintainer", e.maintainer}, {"Date", e.date},
          {"Timestamp", e.timestamp()}, {"Closes", e.closes()},   {"Launchpad-Bugs-Fixed", e.launchpad_bugs()},
          {"Changes", e.dpkg_changes()}};
}

}  // namespace

void add_changelog_commands(CLI::App& app, GlobalOptions& g) {
  auto* changelog = app.add_subcommand("changelog", "Read and extend debian/changelog");
  changelog->require_subcommand(1);

  struct ShowArgs {
    std::string file = "debian/changelog";
    bool all = false;
  };
  auto show_args = std::make_shared<ShowArgs>();
  auto* show = changelog->add_subcommand("show", "Show entries with dpkg-parsechangelog's field names");
  show->add_option("FILE", show_args->file, "Changelog file (default debian/changelog; .gz accepted)");
  show->add_flag("--all", show_args->all, "Every entry, not only the top one");
  on_run(show, [&g, show_args] {
    deb::Changelog cl = deb::read_changelog(show_args->file);
    spdlog::debug("{}: {} entries", show_args->file, cl.entries.size());
    size_t n = show_args->all ? cl.entries.size() : 1;
    nlohmann::json j = nlohmann::json::array();
    std::string text;
    for (size_t i = 0; i < n; ++i) {
      j.push_back(entry_json(cl.entries[i]));
      text += (i ? "\n" : "") + deb::render_paragraph(entry_fields(cl.entries[i]), deb::Deb822Kind::kGeneric, true,
                                                       deb::FieldOrder::kAsIs);
    }
    emit(g, show_args->all ? j : j[0], text);
    return Exit::kOk;
  });

  struct NewArgs {
    std::string file = "debian/changelog";
    deb::NewEntry entry;
  };
  auto new_args = std::make_shared<NewArgs>();
  auto* add = changelog->add_subcommand(
      "new", "Add an entry on top, like dch -i or dch -v VER -D DIST (an UNRELEASED top entry is rewritten, as dch does)");
  add->add_option("-c,--changelog", new_args->file, "Changelog file (default debian/changelog)");
  add->add_option("-v,--new-version", new_args->entry.version, "Version of the new entry (default: increment)");
  add->add_option("-D,--distribution", new_args->entry.distribution, "Distribution (default UNRELEASED)");
  add->add_option("-u,--urgency", new_args->entry.urgency, "Urgency (default medium, or the UNRELEASED entry's)");
  add->add_option("--maintainer", new_args->entry.maintainer, "\"Name <email>\" (default: DEBFULLNAME/DEBEMAIL)");
  add->add_flag("--ubuntu", new_args->entry.ubuntu, "Ubuntu numbering for the increment (like dch --vendor Ubuntu)");
  add->add_option("CHANGE", new_args->entry.changes, "Change text, one item each")->required();
  on_run(add, [&g, new_args] {
    deb::Changelog cl = deb::read_changelog(new_args->file);
    std::string version = deb::add_changelog_entry(cl, new_args->entry);
    write_file_atomic(new_args->file, deb::render_changelog(cl));
    spdlog::info("{}: added {} ({})", new_args->file, version, cl.entries.front().distribution());
    emit(g, entry_json(cl.entries.front()), version);
    return Exit::kOk;
  });
}

}  // namespace hapkg::cli
