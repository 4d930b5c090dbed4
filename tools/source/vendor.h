// The dpkg vendor (Dpkg/Vendor.pm): DEB_VENDOR, else origins/default, read
// from $DPKG_ORIGINS_DIR or /etc/dpkg/origins; and which of dpkg's vendor
// modules (Debian, Ubuntu, Devuan, Default) it selects, following Parent.
#pragma once

#include <string>

namespace hapkg::source {

// The Vendor field of the current vendor's origins file ("" when none).
std::string current_vendor();

// The Dpkg::Vendor module dpkg uses for `vendor`: "Debian", "Ubuntu",
// "Devuan" or "Default" (unknown vendors fall back to their Parent).
std::string vendor_module(const std::string& vendor);

}  // namespace hapkg::source
