// uscan's mangle rules (Devscripts::Uscan::Utils::safe_replace): Perl
// s/REGEX/REPLACEMENT/FLAGS with flags g, i, x, and tr/// or y/// with
// flags c, d, s. Several rules are ';'-separated and run in order.
#pragma once

#include <string>
#include <vector>

namespace hapkg::tracker {

// Applies one rule to `value`. Throws std::invalid_argument naming the
// problem for a malformed or unsafe rule.
void apply_mangle(const std::string& rule, std::string& value);

// Applies every rule in order.
void apply_mangles(const std::vector<std::string>& rules, std::string& value);

}  // namespace hapkg::tracker
