// Oracle test: the deb822 reader on the machine's real files — apt's
// indices (/var/lib/apt/lists/*Packages*, *Sources*, *Release) and dpkg's
// status database. As-is rendering must give the bytes back exactly, the
// canonical rendering must parse back to the same fields, and the values
// must be the ones dpkg-query and apt-cache report for the same records.
#include <gtest/gtest.h>

#include <glob.h>

#include <iostream>
#include <map>
#include <sstream>

#include "deb/deb822.h"
#include "util/process.h"

namespace {

using namespace hapkg;
using deb::Deb822Kind;

std::vector<std::string> glob_all(const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  for (const auto& p : patterns) {
    glob_t g{};
    if (::glob(p.c_str(), 0, nullptr, &g) == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    ::globfree(&g);
  }
  return out;
}

Deb822Kind kind_of(const std::string& path) {
  if (path.find("Sources") != std::string::npos) return Deb822Kind::kSources;
  if (path.find("Release") != std::string::npos) return Deb822Kind::kRelease;
  if (path.find("Packages") != std::string::npos) return Deb822Kind::kPackages;
  return Deb822Kind::kGeneric;  // dpkg status
}

using Fields = std::vector<std::pair<std::string, std::string>>;
Fields sorted_fields(const deb::Paragraph& p) {
  Fields f;
  for (const auto& x : p.fields) f.emplace_back(x.name, x.value);
  std::sort(f.begin(), f.end());
  return f;
}

const std::vector<std::string>& index_files() {
  static const std::vector<std::string> files = glob_all(
      {"/var/lib/apt/lists/*_Packages*", "/var/lib/apt/lists/*_Sources*", "/var/lib/apt/lists/*Release"});
  return files;
}

TEST(Deb822Oracle, RealFilesRoundTrip) {
  auto files = index_files();
  files.push_back("/var/lib/dpkg/status");
  size_t paragraphs = 0, done = 0;
  for (const auto& path : files) {
    if (path.ends_with(".diff") || path.find("/partial/") != std::string::npos) continue;
    Deb822Kind kind = kind_of(path);
    std::string text = deb::read_deb822_text(path);
    deb::Deb822 doc = deb::parse_deb822(text, path, kind);
    ASSERT_FALSE(doc.paragraphs.empty()) << path;
    EXPECT_EQ(deb::render_deb822(doc, kind), text) << path << ": as-is rendering differs";
    std::string canonical = deb::render_deb822(doc, kind, deb::FieldOrder::kCanonical);
    deb::Deb822 again = deb::parse_deb822(canonical, path + " (canonical)", kind);
    ASSERT_EQ(again.paragraphs.size(), doc.paragraphs.size()) << path;
    for (size_t i = 0; i < doc.paragraphs.size(); ++i)
      ASSERT_EQ(sorted_fields(again.paragraphs[i]), sorted_fields(doc.paragraphs[i]))
          << path << ": paragraph at line " << doc.paragraphs[i].line;
    paragraphs += doc.paragraphs.size();
    ++done;
  }
  std::cout << "deb822 oracle: " << done << " files round-tripped, " << paragraphs << " paragraphs\n";
  EXPECT_GE(done, 2u);
}

// Every package dpkg-query knows has the same Version and Status in our
// parse of /var/lib/dpkg/status.
TEST(Deb822Oracle, StatusAgreesWithDpkgQuery) {
  deb::Deb822 doc = deb::read_deb822("/var/lib/dpkg/status", Deb822Kind::kGeneric);
  std::map<std::string, const deb::Paragraph*> by_key;
  for (const auto& p : doc.paragraphs) by_key[p.get("Package") + ":" + p.get("Architecture")] = &p;
  auto r = run_process({"dpkg-query", "-W", "-f", "${Package}:${Architecture}\\t${Version}\\t${Status}\\t${Maintainer}\\n"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::istringstream in(r.out);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string key, version, status, maint;
    std::getline(ls, key, '\t');
    std::getline(ls, version, '\t');
    std::getline(ls, status, '\t');
    std::getline(ls, maint);
    auto it = by_key.find(key);
    if (it == by_key.end()) {
      ADD_FAILURE() << "dpkg-query knows " << key << ", our parse does not";
      continue;
    }
    EXPECT_EQ(it->second->get("Version"), version) << key;
    EXPECT_EQ(it->second->get("Status"), status) << key;
    EXPECT_EQ(it->second->get("Maintainer"), maint) << key;
    ++n;
  }
  EXPECT_GT(n, 100u);
  std::cout << "deb822 oracle: " << n << " status records agree with dpkg-query\n";
}

// A sample of index records: the single-line fields apt-cache shows are
// the ones we parsed.
TEST(Deb822Oracle, PackagesAgreeWithAptCache) {
  // Package=Version -> every index record with it (the point release and
  // the security archive can both carry one, with different Filenames).
  std::map<std::string, std::vector<const deb::Paragraph*>> records;
  std::vector<deb::Deb822> docs;
  for (const auto& path : index_files())
    if (kind_of(path) == Deb822Kind::kPackages) docs.push_back(deb::read_deb822(path, Deb822Kind::kPackages));
  ASSERT_FALSE(docs.empty()) << "no apt Packages index on this machine (tests/bootstrap runs apt-get update)";
  std::vector<std::string> sample;
  for (const auto& d : docs)
    for (size_t i = 0; i < d.paragraphs.size(); i += std::max<size_t>(1, d.paragraphs.size() / 25)) {
      const auto& p = d.paragraphs[i];
      std::string key = p.get("Package") + "=" + p.get("Version");
      if (!records.count(key)) sample.push_back(key);
      records[key];
    }
  for (const auto& d : docs)
    for (const auto& p : d.paragraphs) {
      auto it = records.find(p.get("Package") + "=" + p.get("Version"));
      if (it != records.end()) it->second.push_back(&p);
    }
  std::vector<std::string> argv = {"apt-cache", "show"};
  argv.insert(argv.end(), sample.begin(), sample.end());
  auto r = run_process(argv);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  // apt-cache prints each record as stored; read its single-line fields
  // with a plain line split (not with the parser under test).
  std::istringstream in(r.out);
  std::map<std::string, std::string> rec;
  size_t checked = 0;
  auto flush = [&] {
    if (rec.empty()) return;
    auto it = records.find(rec["Package"] + "=" + rec["Version"]);
    if (it != records.end()) {
      std::string mismatch = "no record";
      for (const deb::Paragraph* p : it->second) {
        mismatch.clear();
        for (const char* name : {"Architecture", "Filename", "Size", "SHA256", "Depends", "Section", "Priority",
                                 "Installed-Size", "Source", "Maintainer", "Multi-Arch"})
          if (rec.count(name) && p->get(name) != rec[name])
            mismatch += std::string(name) + ": '" + p->get(name) + "' vs apt '" + rec[name] + "'; ";
        if (mismatch.empty()) break;
      }
      EXPECT_EQ(mismatch, "") << it->first;
      ++checked;
    }
    rec.clear();
  };
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) flush();
    else if (line[0] != ' ') {
      size_t colon = line.find(':');
      if (colon != std::string::npos) rec[line.substr(0, colon)] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  flush();
  EXPECT_GE(checked, sample.size() / 2) << "apt-cache showed too few of the sampled records";
  std::cout << "deb822 oracle: " << checked << " index records agree with apt-cache show\n";
}

}  // namespace
