// The pid file: line 1 the pid (what the shell agents wrote), line 2
// "<start time> <binary>" so a reused pid is never mistaken for ours.
// Written atomically (temp file + rename, O_EXCL|O_NOFOLLOW), read without
// following symlinks.
#pragma once

#include <optional>
#include <string>

#include "ocf/proc.h"

namespace hapkg::ocf {

std::string render_pidfile(const Identity& id);
// Parses a pid file's text; a legacy file has only the pid. nullopt if no pid.
std::optional<Identity> parse_pidfile(const std::string& text, const std::string& binary);

// Throws Failure(kErrGeneric) on I/O errors. Creates the parent directory
// (mode 0755) if it is missing.
void write_pidfile(const std::string& path, const Identity& id);
// nullopt if the file is missing, a symlink, or holds no pid.
std::optional<Identity> read_pidfile(const std::string& path, const std::string& binary);
void remove_pidfile(const std::string& path);

}  // namespace hapkg::ocf
