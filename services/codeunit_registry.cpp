#include "services/codeunit_registry.hpp"

#include <mutex>

#include <caf/sec.hpp>

namespace stagehand {

task_outcome codeunit::invoke(codeunit_context& ctx) const {
  try {
    run(ctx);
    return task_outcome::completed(ctx.take_result());
  } catch (const codeunit_error& e) {
    return task_outcome::failed({e.code(), e.what(), call_stack()});
  } catch (const std::exception& e) {
    return task_outcome::failed({codeunit_error_code, e.what(), call_stack()});
  } catch (...) {
    return task_outcome::failed({codeunit_error_code,
                                 "The codeunit raised an unknown exception.",
                                 call_stack()});
  }
}

std::string codeunit::call_stack() const {
  return name + "(CodeUnit " + std::to_string(id) + ").OnRun";
}

caf::error codeunit_registry::add(codeunit_id id, std::string name,
                                  codeunit_fn run) {
  if (!run)
    return caf::make_error(caf::sec::invalid_argument,
                           "codeunit " + std::to_string(id) + " has no body");
  std::unique_lock<std::shared_mutex> guard{mtx_};
  auto entry = std::make_shared<const codeunit>(
    codeunit{id, std::move(name), std::move(run)});
  if (!entries_.emplace(id, std::move(entry)).second)
    return caf::make_error(caf::sec::invalid_argument,
                           "codeunit " + std::to_string(id)
                             + " is already registered");
  return caf::none;
}

std::shared_ptr<const codeunit> codeunit_registry::find(codeunit_id id) const {
  std::shared_lock<std::shared_mutex> guard{mtx_};
  auto i = entries_.find(id);
  return i != entries_.end() ? i->second : nullptr;
}

std::vector<codeunit_id> codeunit_registry::ids() const {
  std::shared_lock<std::shared_mutex> lock{mtx_};
  std::vector<codeunit_id> result;
  result.reserve(entries_.size());
  for (auto& entry : entries_)
    result.push_back(entry.first);
  return result;
}

} // namespace stagehand
