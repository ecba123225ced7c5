#pragma once

#include <caf/error.hpp>

#include "server/operations/operation_registry.hpp"

namespace stagehand {

/// Registers the operations that ship with `stagehand serve`:
/// - `sample_Wait`: `Wait` (Integer, ms) → `waited` (codeunit 50120);
/// - `sample_Echo`: returns its inputs, `Text` (String) and `Number`
///   (Integer), both optional (50121);
/// - `sample_Flaky`: fails its first `FailTimes` (Integer) attempts (50122);
/// - `sample_BlockCustomers`: blocks every customer of the company (50110);
///   it writes, so it runs as a background session, never as a page
///   background task.
caf::error register_sample_operations(operation_registry& registry);

} // namespace stagehand
