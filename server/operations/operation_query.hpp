#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "server/operations/operation_status.hpp"

namespace stagehand {

/// One page of `GET /api/backgroundoperations`: filters plus a cursor, so
/// that a client pages through any number of records in stable order.
struct operation_query {
  /// Only this user's operations; unset for an admin, who sees all.
  std::optional<std::string> run_as;
  std::optional<operation_status> status;
  std::optional<std::string> name;
  /// Records after this sequence number (the previous page's cursor).
  std::int64_t after = 0;
  std::size_t top = 100;
};

} // namespace stagehand
