#pragma once

#include <cstddef>
#include <cstdint>

namespace stagehand {

/// The endpoints as metrics label them; requests that match none are
/// `other`, so that a scan of random paths cannot grow the label set.
enum class http_route : std::uint8_t {
  catalog,
  submit,
  status,
  cancel,
  list,
  entity_set,
  webhooks,
  batch,
  healthz,
  metrics,
  admin_page,
  admin,
  other,
};

inline constexpr std::size_t http_route_count = 13;

const char* to_string(http_route x) noexcept;

} // namespace stagehand
