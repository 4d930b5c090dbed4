// Proposes the next version for a purpose (Ubuntu delta, PPA upload,
// backport, new upstream) following the Debian/Ubuntu rules, and proves the
// proposal against the versions already out there.
#pragma once

#include <string>
#include <vector>

namespace hapkg::deb {

struct NextVersionRequest {
  bool ubuntu = false;          // an Ubuntu upload: 2.0-2 -> 2.0-2ubuntu1
  bool ppa = false;             // a PPA upload that stays below the next official one
  std::string backport_series;  // e.g. "22.04": appends ~22.04.1
  std::string new_upstream;     // e.g. "3.1": 3.1-1 (Debian) or 3.1-0ubuntu1
};

// Throws InputError for an invalid current version or request.
std::string next_version(const std::string& current, const NextVersionRequest& request);

struct AgainstCheck {
  bool ok = true;
  std::vector<std::string> problems;  // one sentence each, naming both versions
};

// Proves with debVS that `candidate` is greater than every version in
// `others`, and flags the `+ppa` after `ubuntuN` trap.
AgainstCheck check_greater_than_all(const std::string& candidate, const std::vector<std::string>& others);

}  // namespace hapkg::deb
