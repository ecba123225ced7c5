#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stagehand {

/// Decides which notification the client sees when a background task fails
/// and the page's error trigger leaves the error unhandled.
enum class error_level : std::uint8_t {
  ignore,
  warning,
  error,
};

/// CAF serializes the enum through its underlying type; this names it for
/// logs, events and `deep_to_string`.
std::string to_string(error_level x);

/// Parses "ignore", "warning" or "error".
std::optional<error_level> parse_error_level(std::string_view str);

} // namespace stagehand
