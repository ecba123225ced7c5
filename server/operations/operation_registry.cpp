#include "server/operations/operation_registry.hpp"

#include <set>

#include <caf/sec.hpp>

namespace stagehand {

caf::error operation_registry::add(operation_definition def) {
  auto fail = [&](const std::string& why) {
    return caf::make_error(caf::sec::invalid_argument,
                           "operation '" + def.name + "' " + why);
  };
  if (def.name.empty())
    return fail("has no name");
  if (def.limit.count() <= 0)
    return fail("needs a positive execution limit");
  std::set<std::string> names;
  for (auto& param : def.parameters)
    if (param.name.empty() || !names.insert(param.name).second)
      return fail("declares parameter '" + param.name + "' twice or unnamed");
  if (entries_.count(def.name) != 0)
    return fail("is already registered");
  auto name = def.name;
  entries_.emplace(std::move(name), std::move(def));
  return caf::none;
}

const operation_definition*
operation_registry::find(const std::string& name) const {
  auto i = entries_.find(name);
  return i != entries_.end() ? &i->second : nullptr;
}

std::vector<const operation_definition*> operation_registry::all() const {
  std::vector<const operation_definition*> out;
  for (auto& entry : entries_)
    out.push_back(&entry.second);
  return out;
}

} // namespace stagehand
