#pragma once

#include <string>

#include <caf/expected.hpp>

#include "server/operations/operation_query.hpp"

namespace stagehand {

/// The query string of `GET /api/backgroundoperations`, read strictly: every
/// parameter known, every number in range, before anything is looked up.
/// Numbers are checked against their range as they are read, never after a
/// narrowing cast, so `status=4294967326` is refused rather than read as 30.
struct listing_query {
  /// Rows on a page when `top` is not given, and the most `top` may ask for.
  static constexpr std::size_t default_top = 100;
  static constexpr std::size_t max_top = 1000;

  operation_query query;

  /// The filters again, encoded, each followed by `&`: the start of the
  /// query string of the next page's link, which appends `after=`.
  std::string next_params;

  /// Reads `status`, `name`, `top` and `after` from `text` (without `?`).
  /// Fails with `caf::sec::invalid_argument` whose context names the
  /// parameter and what it must be.
  static caf::expected<listing_query> parse(const std::string& text);
};

} // namespace stagehand
