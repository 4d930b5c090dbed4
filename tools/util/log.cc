#include "log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace hapkg {

void setup_logging(int verbosity, ColorMode color) {
  auto mode = color == ColorMode::kAlways  ? spdlog::color_mode::always
              : color == ColorMode::kNever ? spdlog::color_mode::never
                                           : spdlog::color_mode::automatic;
  auto logger = spdlog::stderr_color_mt("hapkg", mode);
  logger->set_pattern("hapkg: %^%l%$: %v");
  logger->set_level(verbosity < 0    ? spdlog::level::err
                    : verbosity == 0 ? spdlog::level::info
                                     : spdlog::level::debug);
  spdlog::set_default_logger(logger);
}

}  // namespace hapkg
