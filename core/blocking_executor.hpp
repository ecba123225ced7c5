#pragma once

#include <functional>

namespace stagehand {

/// Where codeunits run. Codeunits may sleep, do I/O or burn CPU, so they must
/// never run on the actor scheduler's threads; child sessions hand them to an
/// executor instead. Tests plug in an executor that runs jobs on demand.
class blocking_executor {
public:
  virtual ~blocking_executor() = default;

  /// Runs `job` at some later point on a thread of the executor's own.
  virtual void post(std::function<void()> job) = 0;
};

} // namespace stagehand
