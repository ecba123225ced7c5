#pragma once

#include <cstdint>
#include <string>

namespace stagehand {

/// Milliseconds since the Unix epoch, the unit of every time the system
/// database stores: integers sort and compare in SQL without parsing.
/// Session events, and the API, show times as `format_time` renders them.
std::int64_t now_ms();

/// ISO 8601 in UTC with milliseconds, `2026-11-23T10:15:00.123Z`, as the
/// API shows stored times.
std::string format_time(std::int64_t ms);

} // namespace stagehand
