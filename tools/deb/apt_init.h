// libapt-pkg plumbing shared by every user of apt's library in hapkg.
#pragma once

#include <string>

namespace hapkg::deb {

// Takes apt's queued error and warning messages (its global _error stack),
// joined by "; ", and clears them. Empty when there were none.
std::string take_apt_errors();

}  // namespace hapkg::deb
