#include "tracker/report/history.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/progress.h"
#include "util/strings.h"

namespace hapkg::tracker {
namespace {

// What identifies a file's content without reading it (for one run, and
// for the cache across runs).
struct FileKey {
  std::uint64_t size = 0, ino = 0, dev = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileKey&) const = default;
};

struct FileKeyHash {
  std::size_t operator()(const FileKey& k) const { return std::hash<std::uint64_t>()(k.ino * 1000003u ^ k.dev); }
};

struct FileEntry {
  std::string name;
  FileKey key;
  bool operator==(const FileEntry&) const = default;
};

struct FileResult {
  Counts counts{};
  std::size_t problems = 0;
};

struct Snapshot {
  std::string date, path;
  std::vector<FileEntry> files;
  FileResult total;
  bool done = false;  // counts known (from the cache or counted)
};

void add(Counts& to, const Counts& c, int sign = 1) {
  for (int k = 0; k < kStatusCount; ++k) to[k] += sign * c[k];
}

std::int64_t ns(const struct timespec& t) { return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; }

// The regular files of one snapshot directory (symlinks followed), sorted.
std::vector<FileEntry> list_snapshot(const std::string& path) {
  int dfd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) throw_errno("opening " + path);
  DIR* d = ::fdopendir(dfd);
  if (!d) {
    ::close(dfd);
    throw_errno("reading " + path);
  }
  std::vector<FileEntry> out;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    struct stat st;
    if (::fstatat(dfd, e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
    out.push_back({std::string(n),
                   {static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_ino),
                    static_cast<std::uint64_t>(st.st_dev), ns(st.st_mtim), ns(st.st_ctim)}});
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const FileEntry& a, const FileEntry& b) { return a.name < b.name; });
  return out;
}

void read_into(const std::string& path, std::size_t size_hint, std::string& buf) {
  // O_NOATIME (our own files): reading history is no reason to write inodes.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("opening " + path);
  buf.resize(size_hint + 1);
  std::size_t have = 0;
  for (;;) {
    if (have == buf.size()) buf.resize(buf.size() * 2);
    ssize_t n = ::read(fd, buf.data() + have, buf.size() - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      errno = err;
      throw_errno("reading " + path);
    }
    have += static_cast<std::size_t>(n);
    if (have < buf.size()) break;  // a regular file reads short only at its end
  }
  ::close(fd);
  buf.resize(have);
}

// Counts consecutive snapshots [begin, end) on one thread, remembering
// files by identity (hard-linked snapshots) and each blueprint's previous
// content (byte-identical files are not counted again).
class DayCounter {
 public:
  DayCounter(bool lenient, HistoryStats& stats) : lenient_(lenient), stats_(stats) {}

  void count(Snapshot& s) {
    s.total = {};
    for (const auto& f : s.files) {
      FileResult r = count_file(s.path + "/" + f.name, f);
      add(s.total.counts, r.counts);
      s.total.problems += r.problems;
    }
    s.done = true;
  }

 private:
  FileResult count_file(const std::string& path, const FileEntry& f) {
    if (auto it = by_key_.find(f.key); it != by_key_.end()) {
      ++stats_.same_inode;
      return it->second;
    }
    read_into(path, f.key.size, buf_);
    auto& prev = previous_[f.name];
    FileResult r;
    if (prev.seen && prev.content == buf_) {
      ++stats_.same_bytes;
      r = prev.result;
    } else {
      ++stats_.parsed;
      r.problems = count_workitems(buf_, path, lenient_, r.counts);
      prev.content.swap(buf_);
      prev.result = r;
      prev.seen = true;
    }
    by_key_[f.key] = r;
    return r;
  }

  struct Previous {
    std::string content;
    FileResult result;
    bool seen = false;
  };
  bool lenient_;
  HistoryStats& stats_;
  std::string buf_;
  std::unordered_map<FileKey, FileResult, FileKeyHash> by_key_;
  std::unordered_map<std::string, Previous> previous_;
};

// --- the cache -------------------------------------------------------------
// hapkg-history-cache 1 <directory>
// D <date> <todo> <done> <postponed> <inprogress> <blocked> <problems> <files>
// F <size> <mtime_ns> <ctime_ns> <ino> <dev> <name>      (one per file)
constexpr std::string_view kCacheMagic = "hapkg-history-cache 1 ";

struct CachedDay {
  FileResult total;
  std::vector<FileEntry> files;
};

template <typename T>
bool number(std::string_view& s, T& v) {
  auto sp = s.find(' ');
  std::string_view tok = s.substr(0, sp);
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (ec != std::errc() || p != tok.data() + tok.size()) return false;
  s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
  return true;
}

std::map<std::string, CachedDay> load_cache(const std::string& path, const std::string& dir) {
  std::map<std::string, CachedDay> out;
  std::string text;
  try {
    if (!std::filesystem::exists(path)) return out;
    text = read_file(path);
  } catch (const std::exception& e) {
    spdlog::warn("{}: history cache not readable, ignored: {}", path, e.what());
    return out;
  }
  std::string_view t = text;
  auto bad = [&](std::size_t lineno) {
    spdlog::warn("{}:{}: history cache damaged, ignored", path, lineno);
    out.clear();
    return out;
  };
  std::size_t pos = 0, lineno = 0;
  CachedDay* day = nullptr;
  std::size_t want_files = 0;
  while (pos < t.size()) {
    auto nl = t.find('\n', pos);
    if (nl == std::string_view::npos) return bad(lineno + 1);  // every line ends with \n
    std::string_view line = t.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (lineno == 1) {
      if (line.substr(0, kCacheMagic.size()) != kCacheMagic || line.substr(kCacheMagic.size()) != dir) {
        spdlog::warn("{}: history cache is for another directory or format, ignored", path);
        return {};
      }
      continue;
    }
    if (line.size() < 2 || line[1] != ' ') return bad(lineno);
    std::string_view rest = line.substr(2);
    if (line[0] == 'D') {
      if (day && day->files.size() != want_files) return bad(lineno);
      auto sp = rest.find(' ');
      if (sp == std::string_view::npos) return bad(lineno);
      day = &out[std::string(rest.substr(0, sp))];
      rest = rest.substr(sp + 1);
      for (int k = 0; k < kStatusCount; ++k)
        if (!number(rest, day->total.counts[k])) return bad(lineno);
      if (!number(rest, day->total.problems) || !number(rest, want_files) || !rest.empty()) return bad(lineno);
    } else if (line[0] == 'F' && day) {
      FileEntry f;
      if (!number(rest, f.key.size) || !number(rest, f.key.mtime_ns) || !number(rest, f.key.ctime_ns) ||
          !number(rest, f.key.ino) || !number(rest, f.key.dev) || rest.empty())
        return bad(lineno);
      f.name = rest;
      day->files.push_back(std::move(f));
    } else {
      return bad(lineno);
    }
  }
  if (day && day->files.size() != want_files) return bad(lineno);
  return out;
}

std::string render_cache(const std::string& dir, const std::vector<Snapshot>& snaps) {
  std::string s(kCacheMagic);
  s += dir + "\n";
  char buf[160];
  for (const auto& d : snaps) {
    if (std::any_of(d.files.begin(), d.files.end(),
                    [](const FileEntry& f) { return f.name.find('\n') != std::string::npos; }))
      continue;  // not representable: that snapshot is counted each time
    const auto& c = d.total.counts;
    std::snprintf(buf, sizeof buf, "D %s %d %d %d %d %d %zu %zu\n", d.date.c_str(), c[0], c[1], c[2], c[3], c[4],
                  d.total.problems, d.files.size());
    s += buf;
    for (const auto& f : d.files) {
      std::snprintf(buf, sizeof buf, "F %llu %lld %lld %llu %llu ", static_cast<unsigned long long>(f.key.size),
                    static_cast<long long>(f.key.mtime_ns), static_cast<long long>(f.key.ctime_ns),
                    static_cast<unsigned long long>(f.key.ino), static_cast<unsigned long long>(f.key.dev));
      s += buf;
      s += f.name;
      s += '\n';
    }
  }
  return s;
}

}  // namespace

long day_number(const std::string& d) {
  std::tm tm{};
  if (d.size() != 10 || d[4] != '-' || d[7] != '-' ||
      std::sscanf(d.c_str(), "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
    return -1;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  long day = static_cast<long>(timegm(&tm) / 86400);
  return day_string(day) == d ? day : -1;  // timegm takes 2026-13-45 as a date in 2027
}

std::string day_string(long day) {
  std::time_t t = static_cast<std::time_t>(day) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::vector<DayCounts> history_from_dir(const std::string& dir, const HistoryOptions& opts, HistoryStats* stats) {
  std::vector<Snapshot> snaps;
  {
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.is_directory() && day_number(e.path().filename().string()) >= 0)
        snaps.push_back({e.path().filename().string(), e.path().string(), {}, {}, false});
    if (ec) throw OperationError(dir + ": " + ec.message());
  }
  std::sort(snaps.begin(), snaps.end(), [](const Snapshot& a, const Snapshot& b) { return a.date < b.date; });
  std::string canonical = std::filesystem::weakly_canonical(dir).string();
  std::map<std::string, CachedDay> cache;
  if (!opts.cache.empty()) cache = load_cache(opts.cache, canonical);

  unsigned n = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(snaps.size(), 1)));
  std::vector<HistoryStats> part_stats(n);
  std::vector<std::exception_ptr> errors(n);
  // Contiguous ranges of days, so each thread sees a blueprint's days in order.
  auto work = [&](unsigned k) {
    std::size_t b = snaps.size() * k / n, e = snaps.size() * (k + 1) / n;
    DayCounter counter(opts.lenient, part_stats[k]);
    try {
      for (std::size_t i = b; i < e; ++i) {
        Snapshot& s = snaps[i];
        s.files = list_snapshot(s.path);
        part_stats[k].files += s.files.size();
        if (auto it = cache.find(s.date); it != cache.end() && it->second.files == s.files &&
                                          (opts.lenient || it->second.total.problems == 0)) {
          s.total = it->second.total;
          s.done = true;
          ++part_stats[k].cached_days;
          continue;
        }
        counter.count(s);
      }
    } catch (...) {
      errors[k] = std::current_exception();  // the first error of the earliest range wins
    }
  };
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < n; ++k) threads.emplace_back(work, k);
  work(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);

  HistoryStats st;
  st.days = snaps.size();
  for (const auto& p : part_stats) {
    st.files += p.files;
    st.cached_days += p.cached_days;
    st.same_inode += p.same_inode;
    st.same_bytes += p.same_bytes;
    st.parsed += p.parsed;
  }
  spdlog::debug("history {}: {} snapshots, {} files: {} snapshots from the cache, {} files counted, {} hard links, "
                "{} byte-identical to the day before",
                dir, st.days, st.files, st.cached_days, st.parsed, st.same_inode, st.same_bytes);
  if (stats) *stats = st;
  if (!opts.cache.empty() && st.cached_days != st.days) {
    try {
      write_file_atomic(opts.cache, render_cache(canonical, snaps));
    } catch (const std::exception& e) {
      spdlog::warn("{}: history cache not written: {}", opts.cache, e.what());
    }
  }
  std::vector<DayCounts> out;
  out.reserve(snaps.size());
  for (const auto& s : snaps) out.push_back({s.date, s.total.counts});
  return out;
}
std::vector<DayCounts> history_from_csv(const std::string& path) {
  std::string text = read_file(path);
  std::vector<DayCounts> out;
  std::size_t pos = 0, lineno = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string line = text.substr(pos, (nl == std::string::npos ? text.size() : nl) - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (lineno == 1 && line.rfind("date,", 0) == 0)) continue;
    DayCounts d;
    char date[11] = "";
    int n = 0;
    // ItemStatus order: todo, done, postponed, inprogress, blocked
    if (std::sscanf(line.c_str(), "%10[0-9-],%d,%d,%d,%d,%d%n", date, &d.counts[0], &d.counts[1], &d.counts[2],
                    &d.counts[3], &d.counts[4], &n) != 6 ||
        static_cast<std::size_t>(n) != line.size() || day_number(date) < 0)
      throw InputError(path, lineno, "expected YYYY-MM-DD,todo,done,postponed,inprogress,blocked");
    d.date = date;
    if (!out.empty() && day_number(d.date) <= day_number(out.back().date))
      throw InputError(path, lineno, "dates must increase");
    out.push_back(d);
  }
  return out;
}
std::string render_history_csv(const std::vector<DayCounts>& h) {
  std::string s = "date,todo,done,postponed,inprogress,blocked\n";
  for (const auto& d : h) {
    s += d.date;
    for (int v : d.counts) s += "," + std::to_string(v);
    s += "\n";
  }
  return s;
}

namespace {

struct GitFile {
  std::string given;  // as named on the command line, for messages
};

struct GitRepo {
  std::map<std::string, GitFile> files;  // path relative to the top level
};

// What `git log --raw` says about the blueprint files: each change in
// commit order, and where each distinct blob was first seen (for messages).
struct GitChange {
  long day;
  std::string commit, path, blob;  // blob "" when the file went away
};
struct GitLog {
  std::vector<GitChange> changes;
  std::map<std::string, std::pair<std::string, std::string>> first_seen;  // blob -> (path, commit)
};

ProcessResult run_git_log(const std::string& top, const GitRepo& repo) {
  std::vector<std::string> argv{"git",        "-C",          top,          "log",        "--reverse",
                                "--first-parent", "--diff-merges=first-parent", "--no-renames", "--raw",
                                "--no-abbrev", "-z",          "--format=C %H %cs", "--"};
  // Their directories as pathspecs (git matches each path against every
  // pathspec, so 2,000 file names would cost 2,000 comparisons a path);
  // the paths are filtered when the log is read.
  std::set<std::string> specs;
  for (const auto& [rel, f] : repo.files) {
    auto slash = rel.rfind('/');
    specs.insert(":(literal)" + (slash == std::string::npos ? rel : rel.substr(0, slash + 1)));
  }
  argv.insert(argv.end(), specs.begin(), specs.end());
  ProcessResult log = run_process(argv);
  if (log.exit_status != 0) throw OperationError(top + ": git log failed: " + first_line(log.err));
  return log;
}

// The next NUL-terminated token of `out` from `pos`.
std::string_view next_token(std::string_view out, std::size_t& pos) {
  auto z = out.find('\0', pos);
  std::string_view tok = out.substr(pos, (z == std::string_view::npos ? out.size() : z) - pos);
  pos = z == std::string_view::npos ? out.size() : z + 1;
  return tok;
}

// "C <hash> <YYYY-MM-DD>" lines start a commit; ":old-mode new-mode
// old-blob new-blob STATUS" lines, each followed by the path, change a file.
GitLog parse_git_log(const std::string& top, const GitRepo& repo, std::string_view out) {
  GitLog g;
  std::string commit;
  long day = -1;
  for (std::size_t pos = 0; pos < out.size();) {
    std::string_view tok = next_token(out, pos);
    while (!tok.empty() && tok.front() == '\n') tok.remove_prefix(1);
    if (tok.substr(0, 2) == "C ") {
      auto sp = tok.rfind(' ');
      commit = std::string(tok.substr(2, sp - 2));
      day = day_number(std::string(tok.substr(sp + 1)));
      if (day < 0) throw OperationError(top + ": git log: unexpected date in '" + std::string(tok) + "'");
    } else if (tok.substr(0, 1) == ":") {
      std::string path(next_token(out, pos));
      std::vector<std::string_view> f;
      for (std::size_t b = 1; b <= tok.size();) {
        auto e = tok.find(' ', b);
        f.push_back(tok.substr(b, (e == std::string_view::npos ? tok.size() : e) - b));
        b = e == std::string_view::npos ? tok.size() + 1 : e + 1;
      }
      if (f.size() != 5 || day < 0) throw OperationError(top + ": git log: unexpected line '" + std::string(tok) + "'");
      std::string blob(f[3]);
      if (blob.find_first_not_of('0') == std::string::npos || f[4] == "D") blob.clear();
      if (!repo.files.count(path)) continue;
      if (!blob.empty()) g.first_seen.try_emplace(blob, path, commit);
      g.changes.push_back({day, commit, path, blob});
    }
  }
  return g;
}

struct BlobJob {
  const std::string* blob;
  const std::pair<std::string, std::string>* where;  // (path, commit) where it was first seen
  Counts* counts;
};

// Counts the jobs' blobs read through one `git cat-file --batch`.
void count_blobs(const std::string& top, const GitRepo& repo, bool lenient, const std::vector<BlobJob>& jobs,
                 std::size_t b, std::size_t e) {
  ProcessOptions o;
  for (std::size_t i = b; i < e; ++i) o.input += *jobs[i].blob + "\n";
  ProcessResult cat = run_process({"git", "-C", top, "cat-file", "--batch"}, o);
  if (cat.exit_status != 0) throw OperationError(top + ": git cat-file failed: " + first_line(cat.err));
  std::string_view c = cat.out;
  std::size_t pos = 0;
  for (std::size_t i = b; i < e; ++i) {
    const std::string& blob = *jobs[i].blob;
    auto nl = c.find('\n', pos);
    std::string_view head = c.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    std::size_t size = 0;
    auto sp = head.rfind(' ');
    if (nl == std::string_view::npos || head.substr(0, blob.size()) != blob || sp == std::string_view::npos ||
        std::from_chars(head.data() + sp + 1, head.data() + head.size(), size).ec != std::errc() ||
        nl + 1 + size > c.size())
      throw OperationError(top + ": git cat-file: unexpected output for " + blob);
    const auto& given = repo.files.at(jobs[i].where->first).given;
    count_workitems(c.substr(nl + 1, size), given + "@" + jobs[i].where->second.substr(0, 12), lenient,
                    *jobs[i].counts);
    pos = nl + 1 + size + 1;
  }
}

// Every distinct blob counted once; `git cat-file --batch` (inflating
// every blob) is most of the time, so the blobs are split over the cores,
// one cat-file each. An error names the first bad blob in hash order.
std::map<std::string, Counts> count_distinct_blobs(const std::string& top, const GitRepo& repo, const GitLog& log,
                                                   bool lenient) {
  std::map<std::string, Counts> blob_counts;
  std::vector<BlobJob> jobs;
  for (const auto& [blob, where] : log.first_seen) jobs.push_back({&blob, &where, &blob_counts[blob]});
  unsigned n = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  n = static_cast<unsigned>(std::min<std::size_t>(n, jobs.size()));
  std::vector<std::exception_ptr> errors(n);
  auto work = [&](unsigned k) {
    try {
      count_blobs(top, repo, lenient, jobs, jobs.size() * k / n, jobs.size() * (k + 1) / n);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < n; ++k) threads.emplace_back(work, k);
  if (n) work(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return blob_counts;
}

// Replays the changes: the totals at the end of each day with a commit.
std::map<long, Counts> replay(const GitLog& log, const std::map<std::string, Counts>& blob_counts) {
  std::map<long, Counts> days;
  std::map<std::string, Counts> current;  // path -> counts now
  Counts total{};
  for (const auto& ch : log.changes) {
    Counts& cur = current[ch.path];
    add(total, cur, -1);
    cur = ch.blob.empty() ? Counts{} : blob_counts.at(ch.blob);
    add(total, cur);
    days[ch.day] = total;  // the end of the day wins
  }
  return days;
}

// Counts per day (the end of each day with a commit) for the files of one repository.
std::map<long, Counts> git_days(const std::string& top, const GitRepo& repo, bool lenient) {
  ProcessResult out = run_git_log(top, repo);
  GitLog log = parse_git_log(top, repo, out.out);
  spdlog::debug("{}: git log: {} changes to the blueprint files, {} distinct versions", top, log.changes.size(),
                log.first_seen.size());
  return replay(log, count_distinct_blobs(top, repo, log, lenient));
}

}  // namespace

std::vector<DayCounts> history_from_git(const std::vector<std::string>& files, bool lenient) {
  std::map<std::string, std::pair<std::string, std::string>> where;  // directory -> (top level, prefix)
  std::map<std::string, GitRepo> repos;
  for (const auto& f : files) {
    std::filesystem::path p = std::filesystem::absolute(f);
    std::string dir = p.parent_path().string();
    auto it = where.find(dir);
    if (it == where.end()) {
      ProcessOptions o;
      o.cwd = dir;
      ProcessResult r = run_process({"git", "rev-parse", "--show-toplevel", "--show-prefix"}, o);
      if (r.exit_status != 0) throw OperationError(f + ": not in a git repository: " + r.err);
      auto nl = r.out.find('\n');
      std::string top = r.out.substr(0, nl), prefix = nl == std::string::npos ? "" : r.out.substr(nl + 1);
      while (!prefix.empty() && prefix.back() == '\n') prefix.pop_back();
      it = where.emplace(dir, std::make_pair(top, prefix)).first;
    }
    repos[it->second.first].files[it->second.second + p.filename().string()] = {f};
  }
  std::vector<std::map<long, Counts>> per_repo;
  long first = -1, last = -1;
  Progress progress("reading git history", repos.size());
  for (const auto& [top, repo] : repos) {
    progress.step(top);
    per_repo.push_back(git_days(top, repo, lenient));
    if (per_repo.back().empty()) continue;
    long b = per_repo.back().begin()->first, e = per_repo.back().rbegin()->first;
    first = first < 0 ? b : std::min(first, b);
    last = std::max(last, e);
  }
  std::vector<DayCounts> out;
  if (first < 0) return out;
  std::vector<Counts> now(per_repo.size(), Counts{});
  for (long d = first; d <= last; ++d) {
    DayCounts dc{day_string(d), {}};
    for (std::size_t k = 0; k < per_repo.size(); ++k) {
      if (auto it = per_repo[k].find(d); it != per_repo[k].end()) now[k] = it->second;
      add(dc.counts, now[k]);
    }
    out.push_back(dc);
  }
  return out;
}

}  // namespace hapkg::tracker
