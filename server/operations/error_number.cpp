#include "server/operations/error_number.hpp"

#include "messages/task_error.hpp"

namespace stagehand {

const std::array<listed_error, 5>& listed_error_numbers() noexcept {
  static constexpr std::array<listed_error, 5> numbers{{
    {"", 0},
    {codeunit_error_code, 1},
    {timeout_error_code, 2},
    {node_lost_error_code, 3},
    {session_timeout_error_code, 4},
  }};
  return numbers;
}

int error_number(std::string_view name) noexcept {
  for (auto& [known, number] : listed_error_numbers())
    if (known == name)
      return number;
  return unlisted_error_number;
}

} // namespace stagehand
