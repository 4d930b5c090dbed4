// Why apt leaves a package out after an upgrade, in words an admin can act
// on: the one-line reason an --expect-installed failure reports.
#pragma once

#include <string>

class pkgDepCache;

namespace hapkg::upgrade {

// `package` is not to be installed in `dc` (after the resolver ran): says
// whether any index has it, and which packages that stay installed depend
// on or recommend it (none: apt has no reason to install it).
std::string why_not_installed(pkgDepCache& dc, const std::string& package);

}  // namespace hapkg::upgrade
