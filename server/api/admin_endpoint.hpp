#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "core/node_load.hpp"
#include "server/admin/admin_sources.hpp"
#include "server/admin/rate_history.hpp"
#include "server/admin/rate_sampler.hpp"
#include "server/api/route.hpp"
#include "server/operations/operation_store.hpp"
#include "server/scheduler/operation_scheduler.hpp"

namespace stagehand {

/// The admin page and the routes it reads (docs/admin.md): the page's
/// compiled-in files for anyone, since they hold no data, and read-only
/// views of sessions, page tasks, nodes, rates and one operation's every
/// column for administrators only, plus the one action the page adds,
/// stopping a background session. Everything else the page does goes
/// through the routes every client uses, so it refuses what they refuse.
class admin_endpoint {
public:
  /// Starts sampling the scheduler's counters for the rates at once.
  admin_endpoint(operation_store& store, const operation_scheduler& scheduler);

  /// Where the sessions come from and how one is stopped; see
  /// `admin_sources`. Set before the server starts.
  void set_sources(admin_sources sources);

  /// The runtime's counters (`# Active child sessions`, queued tasks).
  void set_runtime_counters(std::function<counters()> fn);

  /// Each node's load.
  void set_node_loads(std::function<std::vector<node_load>()> fn);

  /// The routes, for the API's table.
  std::vector<route> routes();

private:
  http_response sessions() const;
  http_response background_sessions() const;
  http_response stop(const std::string& given) const;
  http_response page_tasks() const;
  http_response nodes() const;
  http_response rates() const;
  http_response operation(const std::string& given) const;

  operation_store& store_;
  const operation_scheduler& scheduler_;
  admin_sources sources_;
  std::function<counters()> counters_;
  std::function<std::vector<node_load>()> node_loads_;
  rate_history history_;
  /// After `history_`, which it writes until it is destroyed.
  rate_sampler sampler_;
};

} // namespace stagehand
