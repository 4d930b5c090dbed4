// The oslo.config INI dialect the OpenStack services read: [section]
// headers, "key = value" (or "key: value"), '#' and ';' comment lines,
// indented continuation lines. Only what the agents need: one value.
#pragma once

#include <optional>
#include <string>

namespace hapkg::ocf {

// The last value of `key` in `section` of the INI text (oslo.config: a
// later line wins), nullopt if absent.
std::optional<std::string> ini_value(const std::string& text, const std::string& section,
                                     const std::string& key);

// The same, read from a file; nullopt if absent, and also if the file cannot
// be read (then `*error` says why, when given).
std::optional<std::string> ini_file_value(const std::string& path, const std::string& section,
                                          const std::string& key, std::string* error = nullptr);

}  // namespace hapkg::ocf
