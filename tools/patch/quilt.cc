#include "patch/quilt.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <cstdio>
#include <set>
#include <sstream>

#include "util/error.h"
#include "util/file.h"
#include "util/log.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::patch {
namespace fs = std::filesystem;
namespace {

bool lexists(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty()) out.push_back(l);
  return out;
}

// Refuses targets that would make GNU patch follow a symlink out of the tree.
void check_no_symlinks(const std::string& tree, const std::vector<std::string>& targets, const std::string& patch) {
  for (const auto& t : targets) {
    size_t pos = 0;
    while (true) {
      pos = t.find('/', pos + 1);
      std::string prefix = t.substr(0, pos);
      struct stat st;
      if (::lstat((tree + "/" + prefix).c_str(), &st) == 0 && S_ISLNK(st.st_mode))
        throw InputError(patch + ": refusing to patch through the symlink " + prefix);
      if (pos == std::string::npos) break;
    }
  }
}

// The file a "|--- a/F" or "|+++ b/F" line of GNU patch's quoted context
// names (after -p1), for failures reported before any "patching file".
std::string quoted_target(const std::string& l) {
  if (l.rfind("|--- ", 0) != 0 && l.rfind("|+++ ", 0) != 0) return "";
  std::string name = l.substr(5, l.find('\t') == std::string::npos ? std::string::npos : l.find('\t') - 5);
  if (name == "/dev/null") return "";
  size_t slash = name.find('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

// "patch P: file F: Hunk #2 FAILED at 10." from GNU patch's output. The
// file is the last one patch named ("patching file F"), or the one its
// quoted context names; without either, the patch's input line.
std::string describe_failure(const std::string& output) {
  std::string file, quoted, problem;
  for (const auto& l : lines_of(output)) {
    if (l.rfind("patching file ", 0) == 0 || l.rfind("checking file ", 0) == 0) {
      file = l.substr(14);
      if (file.size() > 1 && file.front() == '\'' && file.back() == '\'') file = file.substr(1, file.size() - 2);
    } else if (std::string q = quoted_target(l); !q.empty()) {
      if (quoted.empty() || l.rfind("|+++ ", 0) == 0) quoted = q;
      if (!problem.empty() && problem.rfind("file ", 0) != 0) problem = "file " + quoted + ": " + problem;
    } else if (problem.empty() &&
               (l.find("FAILED") != std::string::npos || l.find("fuzz") != std::string::npos ||
                l.find("Reversed") != std::string::npos || l.find("can't find file") != std::string::npos ||
                l.find("No such file") != std::string::npos || l.find("malformed") != std::string::npos ||
                l.find("Only garbage") != std::string::npos)) {
      // "can't find file to patch at input line N" comes before the
      // quoted context that names the file (and after the previous file's
      // "patching file").
      bool before_context = l.find("can't find file") != std::string::npos;
      problem = file.empty() || before_context ? l : "file " + file + ": " + l;
    }
  }
  if (problem.empty()) {
    auto ls = lines_of(output);
    problem = ls.empty() ? "patch failed" : ls.back();
  }
  return problem;
}

struct Patch {
  std::string name;
  std::string text;
  std::vector<std::string> targets;
};

Patch load_patch(const std::string& patches_dir, const SeriesEntry& e, const std::string& series_path) {
  Patch p;
  p.name = e.name;
  std::string path = patches_dir + "/" + e.name;
  if (!lexists(path)) throw InputError(series_path, e.line, "patch file " + path + " is missing");
  p.text = read_file(path);
  p.targets = patch_targets(p.text, path);
  return p;
}

ProcessResult run_patch(const std::string& dir, const std::string& text, std::vector<std::string> args) {
  std::vector<std::string> argv = {"patch", "-t", "-N", "-p1", "-u", "-V", "never", "-E", "--reject-file=-"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.cwd = dir;
  o.input = text;
  ProcessResult r = run_process(argv, o);
  r.out += r.err;
  return r;
}

// Restores the files saved in `backup_dir` (tree-relative layout) into tree:
// an empty backup means the patch created the file.
void restore_backups(const std::string& tree, const std::string& backup_dir) {
  if (!lexists(backup_dir)) return;
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(backup_dir); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_symlink() || it->is_regular_file()) files.push_back(fs::relative(it->path(), backup_dir).string());
  }
  for (const auto& rel : files) {
    if (rel == ".timestamp") continue;
    std::string backup = backup_dir + "/" + rel, target = tree + "/" + rel;
    struct stat st;
    if (::lstat(backup.c_str(), &st) != 0) throw_errno("lstat " + backup);
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
      if (lexists(target) && ::unlink(target.c_str()) != 0) throw_errno("unlink " + target);
      // Remove the directories the patch created, now empty.
      for (fs::path d = fs::path(target).parent_path(); d.string().size() > tree.size(); d = d.parent_path()) {
        std::error_code ec;
        if (!fs::remove(d, ec)) break;
      }
    } else {
      fs::create_directories(fs::path(target).parent_path());
      if (::rename(backup.c_str(), target.c_str()) != 0) throw_errno("restore " + target);
    }
  }
  fs::remove_all(backup_dir);
}

void write_pc_meta(const std::string& tree, const std::string& series_base) {
  fs::create_directories(tree + "/.pc");
  if (!lexists(tree + "/.pc/.version")) write_file_atomic(tree + "/.pc/.version", "2\n");
  else if (read_file(tree + "/.pc/.version") != "2\n")
    throw InputError(tree + "/.pc/.version:1: unsupported quilt metadata version (only 2)");
  if (!lexists(tree + "/.pc/.quilt_patches")) write_file_atomic(tree + "/.pc/.quilt_patches", "debian/patches\n");
  if (!lexists(tree + "/.pc/.quilt_series")) write_file_atomic(tree + "/.pc/.quilt_series", series_base + "\n");
}

void write_applied(const std::string& tree, const std::vector<std::string>& applied) {
  std::string text;
  for (const auto& a : applied) text += a + "\n";
  write_file_atomic(tree + "/.pc/applied-patches", text);
}

}  // namespace

std::vector<std::string> applied_patches(const std::string& tree) {
  std::string path = tree + "/.pc/applied-patches";
  if (!lexists(path)) return {};
  return lines_of(read_file(path));
}

std::vector<std::string> push_all(const std::string& tree) {
  Series series = read_series(tree);
  std::vector<std::string> applied = applied_patches(tree);
  std::set<std::string> already(applied.begin(), applied.end());
  for (size_t i = 0; i < applied.size(); ++i)
    if (i >= series.patches.size() || series.patches[i].name != applied[i])
      throw InputError(tree + "/.pc/applied-patches:" + std::to_string(i + 1) + ": applied patch " + applied[i] +
                       " is not at this place in " + series.path);
  std::vector<Patch> todo;
  for (const auto& e : series.patches)
    if (!already.count(e.name)) todo.push_back(load_patch(tree + "/debian/patches", e, series.path));
  if (todo.empty()) return {};
  for (const auto& p : todo) check_no_symlinks(tree, p.targets, p.name);

  bool had_pc = lexists(tree + "/.pc");
  std::vector<std::string> done;
  auto rollback = [&] {
    for (auto it = done.rbegin(); it != done.rend(); ++it) restore_backups(tree, tree + "/.pc/" + *it);
    if (!had_pc) fs::remove_all(tree + "/.pc");
    else write_applied(tree, applied);
  };
  try {
    write_pc_meta(tree, series.basename);
    for (const auto& p : todo) {
      // No dry run: GNU patch backs every file up before touching it, so a
      // failure is undone from .pc/<patch>/ like the patches before it.
      std::string backup = ".pc/" + p.name + "/";
      ProcessResult r = run_patch(tree, p.text, {"-F", "0", "-b", "-B", backup});
      // Recorded first, so a failure below restores whatever it changed.
      done.push_back(p.name);
      if (r.exit_status != 0) throw InputError("patch " + p.name + " does not apply: " + describe_failure(r.out));
      // A patch touching nothing still gets its (empty) .pc directory, as quilt does.
      fs::create_directories(tree + "/" + backup);
      std::vector<std::string> now = applied;
      now.insert(now.end(), done.begin(), done.end());
      write_applied(tree, now);
      spdlog::debug("applied {}", p.name);
    }
  } catch (...) {
    rollback();
    throw;
  }
  return done;
}

std::vector<std::string> pop_all(const std::string& tree) { return pop_top(tree, static_cast<size_t>(-1)); }

std::vector<std::string> pop_top(const std::string& tree, size_t count) {
  require_source_tree(tree);
  std::vector<std::string> applied = applied_patches(tree);
  std::vector<std::string> popped;
  while (!applied.empty() && popped.size() < count) {
    std::string name = applied.back();
    restore_backups(tree, tree + "/.pc/" + name);
    applied.pop_back();
    write_applied(tree, applied);
    popped.push_back(name);
  }
  if (applied.empty() && lexists(tree + "/.pc")) {
    for (const char* f : {"applied-patches", ".version", ".quilt_patches", ".quilt_series", ".dpkg-source-unapply"})
      ::unlink((tree + "/.pc/" + f).c_str());
    std::error_code ec;
    fs::remove(tree + "/.pc", ec);  // only when empty
  }
  return popped;
}

void apply_plain(const std::string& dir, const std::string& patches_dir, const std::vector<SeriesEntry>& patches) {
  for (const auto& e : patches) {
    Patch p = load_patch(patches_dir, e, patches_dir + "/series");
    check_no_symlinks(dir, p.targets, p.name);
    ProcessResult r = run_patch(dir, p.text, {"-F", "0", "--no-backup-if-mismatch"});
    if (r.exit_status != 0) throw InputError("patch " + p.name + " does not apply: " + describe_failure(r.out));
  }
}

const char* to_string(PatchState s) {
  switch (s) {
    case PatchState::kApplied: return "applied";
    case PatchState::kClean: return "applies";
    case PatchState::kNeedsFuzz: return "needs-fuzz";
    case PatchState::kAlreadyUpstream: return "already-upstream";
    case PatchState::kFails: return "fails";
  }
  return "?";
}

std::vector<PatchCheck> check_series(const std::string& tree) {
  Series series = read_series(tree);
  std::vector<std::string> applied = applied_patches(tree);
  std::set<std::string> already(applied.begin(), applied.end());
  std::vector<PatchCheck> out;
  std::vector<Patch> todo;
  for (const auto& e : series.patches) {
    if (already.count(e.name)) out.push_back({e.name, PatchState::kApplied, ""});
    else todo.push_back(load_patch(tree + "/debian/patches", e, series.path));
  }
  if (todo.empty()) return out;
  // A scratch copy of just the files the patches touch.
  TempDir scratch_dir("hapkg-check");
  const std::string& scratch = scratch_dir.path();
  {
    for (const auto& p : todo) {
      check_no_symlinks(tree, p.targets, p.name);
      for (const auto& t : p.targets) {
        std::string src = tree + "/" + t, dst = scratch + "/" + t;
        struct stat st;
        if (::lstat(src.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || lexists(dst)) continue;
        fs::create_directories(fs::path(dst).parent_path());
        fs::copy_file(src, dst);
        fs::permissions(dst, static_cast<fs::perms>(st.st_mode & 07777));
      }
    }
    for (const auto& p : todo) {
      PatchCheck c{p.name, PatchState::kFails, ""};
      ProcessResult r = run_patch(scratch, p.text, {"-F", "0", "--dry-run"});
      if (r.exit_status == 0) {
        c.state = PatchState::kClean;
        run_patch(scratch, p.text, {"-F", "0", "--no-backup-if-mismatch"});
      } else if (ProcessResult f = run_patch(scratch, p.text, {"-F", "3", "--dry-run"}); f.exit_status == 0) {
        c.state = PatchState::kNeedsFuzz;
        c.detail = describe_failure(f.out);
        run_patch(scratch, p.text, {"-F", "3", "--no-backup-if-mismatch"});
      } else if (run_patch(scratch, p.text, {"-R", "-F", "0", "--dry-run"}).exit_status == 0) {
        c.state = PatchState::kAlreadyUpstream;
      } else {
        c.detail = describe_failure(r.out);
      }
      out.push_back(c);
    }
  }
  return out;
}

bool refresh_patch(const std::string& tree, const std::string& name) {
  std::vector<std::string> applied = applied_patches(tree);
  if (applied.empty() || applied.back() != name)
    throw InputError("patch " + name + " is not the topmost applied patch; refresh only that one");
  std::string patch_path = tree + "/debian/patches/" + name;
  std::string old_text = read_file(patch_path);
  // The header: everything before the first diff.
  std::string header;
  {
    std::istringstream in(old_text);
    std::string l;
    while (std::getline(in, l)) {
      if (l.rfind("--- ", 0) == 0 || l.rfind("Index: ", 0) == 0 || l.rfind("diff ", 0) == 0 ||
          l.rfind("===", 0) == 0)
        break;
      header += l + "\n";
    }
  }
  std::string backup_dir = tree + "/.pc/" + name;
  std::vector<std::string> files;
  if (lexists(backup_dir))
    for (auto it = fs::recursive_directory_iterator(backup_dir); it != fs::recursive_directory_iterator(); ++it)
      if (it->is_regular_file() && it->path().filename() != ".timestamp")
        files.push_back(fs::relative(it->path(), backup_dir).string());
  std::sort(files.begin(), files.end());
  std::string body;
  for (const auto& f : files) {
    std::string old_path = backup_dir + "/" + f, new_path = tree + "/" + f;
    bool created = fs::file_size(old_path) == 0;
    bool deleted = !lexists(new_path);
    // Mode changes as git-style lines (GNU patch applies them): the .pc
    // backup keeps the mode the file had before the patch.
    struct stat so, sn;
    if (::lstat(old_path.c_str(), &so) != 0) throw_errno("lstat " + old_path);
    if (!deleted && ::lstat(new_path.c_str(), &sn) != 0) throw_errno("lstat " + new_path);
    char modes[96] = "";
    if (!created && !deleted && (so.st_mode & 07777) != (sn.st_mode & 07777))
      std::snprintf(modes, sizeof modes, "old mode 100%03o\nnew mode 100%03o\n", so.st_mode & 0777, sn.st_mode & 0777);
    else if (created && !deleted && (sn.st_mode & 0111))
      std::snprintf(modes, sizeof modes, "new file mode 100%03o\n", sn.st_mode & 0777);
    if (*modes) body += "diff --git a/" + f + " b/" + f + "\n" + modes;
    ProcessResult r = run_process({"diff", "-u", "--label", created ? "/dev/null" : "a/" + f, "--label",
                                   deleted ? "/dev/null" : "b/" + f, created ? "/dev/null" : old_path,
                                   deleted ? "/dev/null" : new_path});
    if (r.exit_status > 1) throw OperationError("diff " + f + ": " + r.err);
    body += r.out;
  }
  std::string text = header + body;
  if (text == old_text) return false;
  write_file_atomic(patch_path, text);
  return true;
}

std::vector<std::string> import_series(const std::string& from, const std::string& tree) {
  std::string from_series = from + "/series";
  std::vector<SeriesEntry> incoming = parse_series(read_file(from_series), from_series);
  Series current = read_series(tree);
  std::set<std::string> existing;
  for (const auto& e : current.patches) existing.insert(e.name);
  std::vector<std::pair<std::string, std::string>> files;  // name, text
  for (const auto& e : incoming) {
    if (existing.count(e.name))
      throw InputError(from_series, e.line, "patch " + e.name + " already in " + current.path);
    if (lexists(tree + "/debian/patches/" + e.name))
      throw InputError(from_series, e.line, "debian/patches/" + e.name + " already exists in " + tree);
    Patch p = load_patch(from, e, from_series);  // validates the paths
    files.emplace_back(e.name, p.text);
  }
  std::string series_path = current.path.empty() ? tree + "/debian/patches/series" : current.path;
  std::string series_text = current.path.empty() ? "" : read_file(series_path);
  if (!series_text.empty() && series_text.back() != '\n') series_text += '\n';
  std::vector<std::string> added;
  for (const auto& [name, text] : files) {
    fs::create_directories(fs::path(tree + "/debian/patches/" + name).parent_path());
    write_file_atomic(tree + "/debian/patches/" + name, text);
    series_text += name + "\n";
    added.push_back(name);
  }
  write_file_atomic(series_path, series_text);
  return added;
}

}  // namespace hapkg::patch
