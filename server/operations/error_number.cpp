#include "server/operations/error_number.hpp"

#include <array>
#include <utility>

#include "messages/task_error.hpp"

namespace stagehand {

int error_number(std::string_view name) noexcept {
  static constexpr std::array<std::pair<std::string_view, int>, 5> numbers{{
    {"", 0},
    {codeunit_error_code, 1},
    {timeout_error_code, 2},
    {node_lost_error_code, 3},
    {session_timeout_error_code, 4},
  }};
  for (auto& [known, number] : numbers)
    if (known == name)
      return number;
  return unlisted_error_number;
}

} // namespace stagehand
