#include "messages/error_level.hpp"

namespace stagehand {

std::string to_string(error_level x) {
  switch (x) {
  case error_level::ignore:
    return "ignore";
  case error_level::warning:
    return "warning";
  case error_level::error:
    return "error";
  }
  return "error";
}

std::optional<error_level> parse_error_level(std::string_view str) {
  for (auto x : {error_level::ignore, error_level::warning, error_level::error})
    if (to_string(x) == str)
      return x;
  return std::nullopt;
}

} // namespace stagehand
