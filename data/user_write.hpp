#pragma once

#include <functional>
#include <string>

#include <caf/expected.hpp>

#include "data/company_directory.hpp"
#include "data/database.hpp"

namespace stagehand {

/// A user's read-write work, as one transaction: `BEGIN IMMEDIATE`, then
/// commit if `work` returns and roll back if it throws. It is never retried:
/// a writer that finds the lock taken waits up to the busy timeout instead,
/// so the work cannot run twice. Blocks the calling thread, so it runs on
/// the embedding code's threads or the worker pool, never on an actor's.
/// @returns `unknown_company`/`company_unreadable`, or `task_failed` with
///          the text of what `work` or SQLite raised.
caf::expected<void> run_user_write(company_directory& companies,
                                   const std::string& company,
                                   const std::function<void(database&)>& work);

} // namespace stagehand
