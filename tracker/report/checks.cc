#include "tracker/report/checks.h"

#include <filesystem>
#include <sstream>
#include <vector>

#include "deb/version.h"
#include "tracker/upstream/track.h"
#include "util/error.h"

namespace hapkg::tracker {

const std::map<std::string, std::string>& CheckContext::index(const std::string& where) {
  auto it = indices_.find(where);
  if (it == indices_.end()) it = indices_.emplace(where, read_sources_index(where)).first;
  return it->second;
}

CheckOutcome CheckContext::evaluate(const WorkItem& item) {
  std::istringstream in(item.check);
  std::vector<std::string> w;
  for (std::string t; in >> t;) w.push_back(t);
  auto bad = [&](const std::string& why) {
    return InputError(item.file, item.line, "check {" + item.check + "}: " + why);
  };
  if (w.empty()) throw bad("empty check");
  if (w[0] == "archive-has") {
    if (w.size() < 4) throw bad("expected {archive-has SRC [OP VERSION] in INDEX | DIR SUITE}");
    std::size_t k = 2;
    std::optional<deb::Relation> rel;
    std::string want;
    if (w[2] != "in") {
      rel = deb::parse_relation(w[2]);
      if (!rel || w.size() < 6 || w[4] != "in") throw bad("expected {archive-has SRC OP VERSION in ...}");
      want = w[3];
      k = 4;
    }
    std::vector<std::string> where(w.begin() + static_cast<long>(k) + 1, w.end());
    std::vector<std::string> indices;
    if (where.size() == 1) {
      indices.push_back(where[0]);
    } else if (where.size() == 2) {
      std::filesystem::path dists = std::filesystem::path(where[0]) / "dists" / where[1];
      std::error_code ec;
      for (auto& comp : std::filesystem::directory_iterator(dists, ec))
        for (const char* name : {"Sources", "Sources.gz", "Sources.xz"}) {
          auto p = comp.path() / "source" / name;
          if (std::filesystem::exists(p)) {
            indices.push_back(p.string());
            break;
          }
        }
      if (indices.empty()) throw bad("no Sources index under " + dists.string());
    } else {
      throw bad("expected one Sources index or an archive directory and a suite after 'in'");
    }
    for (const auto& ix : indices) {
      const std::map<std::string, std::string>* found = nullptr;
      try {
        found = &index(ix);
      } catch (const Error& e) {  // the index's own error, prefixed with the item that names it
        throw Error(e.code(), InputError::at(item.file, item.line) + ": check {" + item.check + "}: " + e.what());
      }
      const auto& m = *found;
      auto it = m.find(w[1]);
      if (it == m.end()) continue;
      bool ok = !rel || deb::satisfies(it->second, *rel, want);
      return {ok, w[1] + " " + it->second + " in " + ix};
    }
    return {false, w[1] + " not in " + (indices.size() == 1 ? indices[0] : where[0] + " " + where[1])};
  }
  if (w[0] == "packaged") {
    if (w.size() != 4 || w[2] != "upstream") throw bad("expected {packaged OP upstream SRC}");
    auto rel = deb::parse_relation(w[1]);
    if (!rel) throw bad("unknown relation '" + w[1] + "'");
    if (!track_.is_array()) throw bad("needs the output of `hapkg track --json` (--track FILE)");
    for (const auto& e : track_) {
      if (e.value("package", "") != w[3]) continue;
      std::string ours = e.value("debian-mangled-uversion", ""), up = e.value("upstream-version", "");
      if (up.empty()) return {false, w[3] + ": no upstream version known"};
      bool ok = deb::satisfies("1:" + ours + "-0", *rel, "1:" + up + "-0");
      return {ok, w[3] + " packaged " + ours + ", upstream " + up};
    }
    return {false, w[3] + " not in the track results"};
  }
  throw bad("unknown check '" + w[0] + "' (archive-has, packaged)");
}

}  // namespace hapkg::tracker
