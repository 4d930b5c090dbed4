// hapkg archive init|include|remove|export|list: thin fronts over archive/repo.h.
#include "archive/incoming.h"
#include "archive/repo.h"
#include "cli/command.h"

namespace hapkg::cli {
namespace {

std::string lines(const std::vector<std::string>& v, const std::string& prefix) {
  std::string out;
  for (const auto& s : v) out += prefix + s + "\n";
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace

void add_archive_commands(CLI::App& app, GlobalOptions& g) {
  auto* archive = app.add_subcommand("archive", "A local apt repository (pool/, dists/) like a PPA");
  archive->require_subcommand(1);
  struct Args {
    std::string dir;
    archive::SuiteConfig suite;
    std::string suite_name, component, sign_key;
    std::string incoming, keyring;  // process-incoming
    std::vector<std::string> files;
  };
  auto a = std::make_shared<Args>();
  auto add_dir = [a](CLI::App* c) { c->add_option("-A,--archive", a->dir, "Archive directory")->required(); };
  auto add_suite = [a](CLI::App* c) { c->add_option("-s,--suite", a->suite_name, "Suite or codename")->required(); };

  auto* init = archive->add_subcommand("init", "Create the archive or add a suite to it");
  add_dir(init);
  init->add_option("-s,--suite", a->suite.suite, "Suite name")->required();
  init->add_option("--codename", a->suite.codename, "Codename (default: the suite)");
  init->add_option("--origin", a->suite.origin, "Origin field (default hapkg)");
  init->add_option("--label", a->suite.label, "Label field (default hapkg)");
  init->add_option("--description", a->suite.description, "Description field");
  init->add_option("-c,--components", a->suite.components, "Components (default main)")->delimiter(',');
  init->add_option("--arch", a->suite.architectures, "Architectures (comma separated)")->delimiter(',')->required();
  on_run(init, [&g, a] {
    if (a->suite.codename.empty()) a->suite.codename = a->suite.suite;
    archive::init_archive(a->dir, a->suite);
    emit(g, {{"archive", a->dir}, {"suite", a->suite.suite}}, "");
    return Exit::kOk;
  });

  auto* include = archive->add_subcommand("include", "Add .deb, .dsc or .changes files (checksums verified)");
  add_dir(include);
  add_suite(include);
  include->add_option("-C,--component", a->component, "Component (default: from Section, else the first)");
  include->add_option("FILE", a->files, "Files to include")->required();
  on_run(include, [&g, a] {
    auto r = archive::include_files(a->dir, a->suite_name, a->component, a->files);
    emit(g, {{"added", r.added}, {"unchanged", r.unchanged}},
         lines(r.added, "added ") + (r.added.empty() || r.unchanged.empty() ? "" : "\n") +
             lines(r.unchanged, "unchanged "));
    return Exit::kOk;
  });

  auto* remove = archive->add_subcommand("remove", "Remove packages (binary or source names) from a suite");
  add_dir(remove);
  add_suite(remove);
  remove->add_option("PACKAGE", a->files, "Package names")->required();
  remove->add_option("--sign", a->sign_key, "Sign the re-exported indices with this gpg key");
  on_run(remove, [&g, a] {
    auto r = archive::remove_packages(a->dir, a->suite_name, a->files, {a->sign_key});
    emit(g, {{"removed", r.removed}, {"deleted", r.deleted}},
         lines(r.removed, "removed ") + (r.deleted.empty() ? "" : "\n") + lines(r.deleted, "deleted "));
    return r.removed.empty() ? Exit::kProblem : Exit::kOk;
  });

  auto* exp = archive->add_subcommand("export", "Write dists/ indices and Release files (Release last)");
  add_dir(exp);
  exp->add_option("--sign", a->sign_key, "Sign with this gpg key: InRelease and Release.gpg");
  on_run(exp, [&g, a] {
    auto deleted = archive::export_archive(a->dir, {a->sign_key});
    emit(g, {{"archive", a->dir}, {"signed", !a->sign_key.empty()}, {"deleted", deleted}}, lines(deleted, "deleted "));
    return Exit::kOk;
  });

  auto* incoming = archive->add_subcommand("process-incoming",
                                           "Accept or reject the uploads (.changes) in DIR as Launchpad does");
  add_dir(incoming);
  incoming->add_option("DIR", a->incoming, "Incoming directory (dput's local method target)")->required();
  incoming->add_option("--sign", a->sign_key, "Sign the re-exported indices with this gpg key");
  incoming->add_option("--keyring", a->keyring, "Uploaders keyring (default ARCHIVE/conf/uploaders.gpg)");
  on_run(incoming, [&g, a] {
    auto r = archive::process_incoming(a->incoming, a->dir, {a->sign_key, a->keyring});
    nlohmann::json rejected = nlohmann::json::array();
    std::string text = lines(r.accepted, "accepted ");
    for (const auto& [name, line] : r.rejected) {
      rejected.push_back({{"changes", name}, {"reason", line}});
      text += (text.empty() ? "" : "\n") + std::string("rejected ") + name + ": " + line;
    }
    emit(g, {{"accepted", r.accepted}, {"rejected", rejected}}, text);
    return r.rejected.empty() ? Exit::kOk : Exit::kProblem;
  });

  auto* list = archive->add_subcommand("list", "List a suite's packages");
  add_dir(list);
  add_suite(list);
  on_run(list, [&g, a] {
    nlohmann::json j = nlohmann::json::array();
    std::string text;
    for (const auto& e : archive::list_entries(a->dir, a->suite_name)) {
      j.push_back({{"package", e.package}, {"version", e.version}, {"architecture", e.architecture}});
      text += e.package + " " + e.version + " " + e.architecture + "\n";
    }
    if (!text.empty()) text.pop_back();
    emit(g, j, text);
    return Exit::kOk;
  });
}

}  // namespace hapkg::cli
