#pragma once

#include <cstdint>

namespace stagehand {

/// An operation's status reason with its SPEC.md §3 value; each status
/// belongs to exactly one state (Ready 0, Locked 2, Completed 3), so the
/// state is derived rather than stored apart from it.
enum class operation_status : std::uint8_t {
  waiting_for_resources = 0,
  in_progress = 20,
  canceling = 22,
  succeeded = 30,
  failed = 31,
  canceled = 32,
};

/// The state code of a status: 0, 2 or 3.
constexpr int state_code(operation_status x) noexcept {
  auto v = static_cast<int>(x);
  return v < 20 ? 0 : v < 30 ? 2 : 3;
}

constexpr int status_code(operation_status x) noexcept {
  return static_cast<int>(x);
}

constexpr bool is_terminal(operation_status x) noexcept {
  return state_code(x) == 3;
}

/// The label the platform shows: "Waiting For Resources", "In Progress", ...
const char* label(operation_status x) noexcept;

/// The label of the status's state: "Ready", "Locked" or "Completed".
const char* state_label(operation_status x) noexcept;

/// @returns false if `code` is no status value.
bool from_status_code(int code, operation_status& out) noexcept;

} // namespace stagehand
