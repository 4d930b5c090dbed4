#include "source/autopatch.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "deb/deb822.h"
#include "patch/quilt.h"
#include "patch/series.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"

namespace hapkg::source {
namespace fs = std::filesystem;

std::string autopatch_header(const std::string& tree, const deb::ChangelogEntry& top, std::time_t now) {
  for (const char* f : {"/debian/source/local-patch-header", "/debian/source/patch-header"}) {
    struct stat st;
    if (::stat((tree + f).c_str(), &st) == 0 && S_ISREG(st.st_mode)) return read_file(tree + f);
  }
  std::string description =
      "<short summary of the patch>\n"
      "TODO: Put a short summary on the line above and replace this paragraph\n"
      "with a longer explanation of this change. Complete the meta-information\n"
      "with other relevant fields (see below for details). To make it easier, the\n"
      "information below has been extracted from the changelog. Adjust it or drop\n"
      "it.\n" +
      top.dpkg_changes() + "\n";
  std::string text = "Description: " + deb::fold_value(description) + "\nAuthor: " + top.maintainer + "\n";
  for (const auto& b : top.closes()) text += "Bug-Debian: https://bugs.debian.org/" + b + "\n";
  for (const auto& b : top.launchpad_bugs()) text += "Bug-Ubuntu: https://bugs.launchpad.net/bugs/" + b + "\n";
  char day[16];
  struct tm tm;
  ::gmtime_r(&now, &tm);
  std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
  text +=
      "\n---\n"
      "The information above should follow the Patch Tagging Guidelines, please\n"
      "checkout https://dep.debian.net/deps/dep3/ to learn about the format. Here\n"
      "are templates for supplementary fields that you might want to add:\n"
      "\n"
      "Origin: (upstream|backport|vendor|other), (<patch-url>|commit:<commit-id>)\n"
      "Bug: <upstream-bugtracker-url>\n"
      "Bug-Debian: https://bugs.debian.org/<bugnumber>\n"
      "Bug-Ubuntu: https://launchpad.net/bugs/<bugnumber>\n"
      "Forwarded: (no|not-needed|<patch-forwarded-url>)\n"
      "Applied-Upstream: <version>, (<commit-url>|commit:<commid-id>)\n"
      "Reviewed-By: <name and email of someone who approved/reviewed the patch>\n"
      "Last-Update: " +
      std::string(day) + "\n\n";
  return text;
}

std::string diff_files(const std::string& ref, const std::string& tree, const std::vector<std::string>& files,
                       const std::string& basedir) {
  ProcessOptions o;
  std::vector<std::string> env = {"LC_ALL=C", "LANG=C", "TZ=UTC0"};
  if (const char* path = std::getenv("PATH")) env.push_back(std::string("PATH=") + path);
  o.env = env;
  std::string out;
  for (const auto& f : files) {
    std::string old_path = ref + "/" + f, new_path = tree + "/" + f;
    struct stat so, sn;
    if (::lstat(new_path.c_str(), &sn) != 0) continue;  // a removal: dpkg-source ignores it
    bool has_old = ::lstat(old_path.c_str(), &so) == 0;
    if (S_ISLNK(sn.st_mode) || (has_old && !S_ISREG(so.st_mode)) || !S_ISREG(sn.st_mode))
      throw InputError(new_path + ": cannot represent change to " + f + ": not a regular file on both sides");
    std::string label_old = has_old ? basedir + ".orig/" + f : "/dev/null", label_new = basedir + "/" + f;
    // Dpkg::Source::Patch: a tab after a label with a space in it.
    if (label_old.find(' ') != std::string::npos) label_old += "\t";
    if (label_new.find(' ') != std::string::npos) label_new += "\t";
    ProcessResult r = run_process({"diff", "-u", "-p", "-L", label_old, "-L", label_new, "--",
                                   has_old ? old_path : "/dev/null", new_path}, o);
    if (r.exit_status > 1) throw OperationError("diff " + f + ": " + r.err);
    if (r.out.rfind("Binary files ", 0) == 0)
      throw InputError(new_path + ": cannot represent change to " + f +
                       ": binary file contents changed (add it to debian/source/include-binaries)");
    out += r.out;
  }
  return out;
}

void register_autopatch(const std::string& tree, const std::string& name, const std::string& text,
                        const std::string& ref, const std::vector<std::string>& files) {
  patch::Series series = patch::read_series(tree);
  std::string series_path = series.path.empty() ? tree + "/debian/patches/series" : series.path;
  fs::create_directories(tree + "/debian/patches");
  write_file_atomic(tree + "/debian/patches/" + name, text, 0644);
  // Quilt.pm _file_add_line: every line kept, newline-terminated.
  auto add_line = [](const std::string& path, const std::string& line) {
    std::string old;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) old = read_file(path);
    if (!old.empty() && old.back() != '\n') old += '\n';
    write_file_atomic(path, old + line + "\n");
  };
  add_line(series_path, name);
  fs::create_directories(tree + "/.pc");
  for (auto [f, v] : {std::pair<const char*, const char*>{".version", "2\n"}, {".quilt_patches", "debian/patches\n"}}) {
    struct stat st;
    if (::stat((tree + "/.pc/" + f).c_str(), &st) != 0) write_file_atomic(tree + "/.pc/" + f, v);
  }
  struct stat st;
  std::string series_base = series_path.substr(series_path.rfind('/') + 1);
  if (::stat((tree + "/.pc/.quilt_series").c_str(), &st) != 0)
    write_file_atomic(tree + "/.pc/.quilt_series", series_base + "\n");
  for (const auto& f : files) {
    std::string backup = tree + "/.pc/" + name + "/" + f, from = ref + "/" + f;
    fs::create_directories(fs::path(backup).parent_path());
    struct stat sr;
    if (::lstat(from.c_str(), &sr) == 0 && S_ISREG(sr.st_mode))
      write_file_atomic(backup, read_file(from, false), static_cast<int>(sr.st_mode & 07777));
    else
      write_file_atomic(backup, "", 0644);
  }
  add_line(tree + "/.pc/applied-patches", name);
}

}  // namespace hapkg::source
