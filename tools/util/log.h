// Logging for the hapkg CLI: everything goes to stderr through spdlog, so
// stdout carries only results (text or --json).
#pragma once

#include <spdlog/spdlog.h>

namespace hapkg {

enum class ColorMode { kAuto, kAlways, kNever };

// verbosity: -1 quiet (errors only), 0 normal (warnings, info), 1+ debug.
void setup_logging(int verbosity, ColorMode color);

}  // namespace hapkg
