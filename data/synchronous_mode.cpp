#include "data/synchronous_mode.hpp"

namespace stagehand {

std::optional<synchronous_mode> parse_synchronous(std::string_view text) {
  if (text == "normal")
    return synchronous_mode::normal;
  if (text == "full")
    return synchronous_mode::full;
  return std::nullopt;
}

std::string to_string(synchronous_mode mode) {
  return mode == synchronous_mode::full ? "full" : "normal";
}

} // namespace stagehand
