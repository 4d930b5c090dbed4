// A small node state for the upgrade-check unit tests: a dpkg status, a new
// release's Packages, apt's extended_states and a PPA, in a temp tree.
#pragma once

#include <filesystem>
#include <string>

#include "upgrade/check.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::upgrade::fixture {

// write_file_atomic, creating the directories first
inline void put(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  write_file_atomic(path, text);
}

inline std::string stanza(const std::string& pkg, const std::string& ver, const std::string& extra = "", bool status = false) {
  return "Package: " + pkg + "\n" + (status ? "Status: install ok installed\n" : "") +
         "Priority: optional\nSection: admin\nInstalled-Size: 1\nMaintainer: T <t@example.org>\nArchitecture: amd64\n"
         "Version: " + ver + "\n" + extra + (status ? "" : "Filename: pool/" + pkg + ".deb\nSize: 1\nMD5sum: 00\n") +
         "Description: x\n\n";
}

struct Tree {
  TempDir t{"hapkg-check-test"};
  std::string path(const std::string& f) const { return t.path() + "/" + f; }
  UpgradeOptions options() const {
    UpgradeOptions o;
    o.new_indices = {path("Packages")};
    o.status = path("status");
    o.architectures = {"amd64"};
    o.jobs = 1;
    return o;
  }
  Tree() {
    put(path("status"), stanza("zed", "1.0", "", true) + stanza("app", "1.0", "Depends: lib\n", true) +
                                          stanza("lib", "1.0", "", true) + stanza("gone", "1.0", "", true));
    put(path("Packages"), stanza("zed", "2.0") + stanza("app", "2.0", "Depends: lib2\n") +
                                            stanza("lib2", "2.0") + stanza("lib", "1.0"));
    put(path("ext"), "Package: lib\nArchitecture: amd64\nAuto-Installed: 1\n");
    put(path("ppa/Packages"), stanza("tool", "1.0", "Depends: libfmt9\n") + stanza("fine", "1.0"));
  }
};

}  // namespace hapkg::upgrade::fixture
