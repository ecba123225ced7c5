#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace stagehand {

/// Reads an OData DateTimeOffset literal, `2026-12-05T10:00:00Z`: a date, a
/// time with optional seconds and fraction, and `Z` or an offset such as
/// `+01:00`. Every field is range-checked (February 29th only in a leap
/// year). Fractions below a millisecond are dropped.
/// @returns milliseconds since the epoch, the unit the system database
///          stores times in, or nothing if `text` is not such a literal.
std::optional<std::int64_t> parse_date_time_offset(std::string_view text);

} // namespace stagehand
