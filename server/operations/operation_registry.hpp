#pragma once

#include <map>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "server/operations/operation_definition.hpp"

namespace stagehand {

/// The operations `stagehand serve` accepts, by name. Filled before the
/// server starts and read-only afterwards, so lookups need no lock.
class operation_registry {
public:
  /// Fails if the name is empty or taken, or a parameter name repeats.
  caf::error add(operation_definition def);

  /// @returns the operation, or null if none has this name.
  const operation_definition* find(const std::string& name) const;

  /// Every operation, in name order: `GET /api/data/v9.2/` lists them.
  std::vector<const operation_definition*> all() const;

private:
  std::map<std::string, operation_definition> entries_;
};

} // namespace stagehand
