#pragma once

#include <chrono>
#include <vector>

#include "core/metrics.hpp"
#include "core/node_load.hpp"
#include "services/node_table.hpp"

namespace stagehand {

/// Every node's load for `/metrics`: `local` first, then each worker that
/// joined, live or lost, in the order they first joined.
///
/// `local` is reckoned from `stats` rather than from the node table, because
/// the table counts nothing while no worker has joined (its fast path) and
/// misses work placed before the first join: its running figure is every
/// running page task and background session (`stats`) less those the table
/// counts on workers. Its capacity is the one placement weighs it with
/// (`worker-capacity`), or 0 with `placement=remote`, which gives it nothing.
/// Its lost count and its age are 0: this process hears itself.
///
/// A worker's age is `now - last_heard`, in seconds: a steady clock has no
/// epoch to export, so the gauge is an age rather than a time stamp.
std::vector<node_load>
node_loads(const node_table& nodes, const counters& stats,
           std::chrono::steady_clock::time_point now
           = std::chrono::steady_clock::now());

} // namespace stagehand
