#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/ids.hpp"
#include "messages/task_outcome.hpp"
#include "services/codeunit_context.hpp"

namespace stagehand {

/// A codeunit's body. It may block: it runs on a worker thread.
using codeunit_fn = std::function<void(codeunit_context&)>;

/// A registered codeunit, like an AL codeunit object: a number, a name for
/// call stacks and logs, and its body.
struct codeunit {
  codeunit_id id;
  std::string name;
  codeunit_fn run;

  /// Runs the body and turns whatever it returns or raises into an outcome.
  task_outcome invoke(codeunit_context& ctx) const;

  /// The call stack reported with errors, e.g. `PBTFailCodeunit(CodeUnit
  /// 50101).OnRun`.
  std::string call_stack() const;
};

/// Maps codeunit ids to codeunits. Safe to read from any thread while others
/// register.
class codeunit_registry {
public:
  /// Registers a codeunit; fails if the id is taken or the body is empty.
  caf::error add(codeunit_id id, std::string name, codeunit_fn run);

  /// @returns the codeunit, or null if none has this id.
  std::shared_ptr<const codeunit> find(codeunit_id id) const;

  /// The ids of every registered codeunit, ascending (what a worker offers
  /// its coordinator).
  std::vector<codeunit_id> ids() const;

private:
  mutable std::shared_mutex mtx_;
  std::map<codeunit_id, std::shared_ptr<const codeunit>> entries_;
};

} // namespace stagehand
