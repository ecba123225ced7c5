#pragma once

#include <cstdint>

namespace stagehand {

/// Identifies a parent (client) session within one runtime.
using session_id = std::uint64_t;

/// Identifies a page within one runtime.
using page_id = std::uint64_t;

/// Identifies a background task within its page; the first task is 1.
using task_id = std::uint64_t;

/// Identifies a registered codeunit, e.g. 50100.
using codeunit_id = std::int32_t;

} // namespace stagehand
