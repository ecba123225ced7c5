#pragma once

#include <caf/error.hpp>

#include "services/codeunit_registry.hpp"

namespace stagehand::samples {

/// The codeunits that the documentation, `stagehand demo`, `stagehand play`
/// and the tests use. Their ids are fixed: outside scenarios refer to them.
enum sample_codeunit : codeunit_id {
  /// `PBTWaitCodeunit`: waits `Wait` ms; returns started, waited, finished.
  wait_codeunit = 50100,
  /// `PBTFailCodeunit`: raises an error whose text is `Message`.
  fail_codeunit = 50101,
  /// `PBTInsertCodeunit`: inserts into PBTData, which a child may not do, so
  /// it always fails with the TableData Insert permission error.
  insert_codeunit = 50102,
  /// `PBTSumCodeunit`: reads the PBTData record whose Code[10] `Id` is
  /// `RecId` (upper-cased, as AL evaluates a Code) and returns `Sum` and
  /// `Concat`, as the page background tasks article's codeunit does.
  sum_codeunit = 50103,
  /// `PBTSpinCodeunit`: burns CPU for `Ms` ms, ignoring cancellation.
  spin_codeunit = 50104,
  /// `PBTEmptyCodeunit`: returns {"ok": "1"} at once.
  empty_codeunit = 50105,
  /// `PBTBudgetCodeunit`: returns `RemainingMs`, what is left of its
  /// timeout as it starts (`ctx.remaining()`), whole milliseconds rounded
  /// down; `none` if it has no timeout.
  budget_codeunit = 50106,
  /// `BlockAllCustomers`: a background session's job, as in the seed: sets
  /// `Blocked` on every Customer row and returns how many it changed. With
  /// `Wait` (ms), it sleeps after the update, so that a stop rolls it back.
  block_all_customers_codeunit = 50110,
  /// `OpWaitCodeunit`: `sample_Wait`'s body, the same as PBTWaitCodeunit.
  operation_wait_codeunit = 50120,
  /// `OpEchoCodeunit`: returns its inputs (without the attempt number).
  operation_echo_codeunit = 50121,
  /// `OpFlakyCodeunit`: fails while the attempt number (`__attempt`, 0 for
  /// the first) is below `FailTimes`, then returns `attempts`.
  operation_flaky_codeunit = 50122,
};

/// The longest `Wait`, in ms, that PBTWaitCodeunit and OpWaitCodeunit
/// (`sample_Wait`) accept: one day. A longer one fails the task or operation
/// with an error naming this bound.
inline constexpr long long max_wait_ms = 86'400'000;

/// Registers all sample codeunits.
caf::error register_sample_codeunits(codeunit_registry& registry);

} // namespace stagehand::samples
