#include "samples/sample_operations.hpp"

#include "samples/sample_codeunits.hpp"

namespace stagehand {

caf::error register_sample_operations(operation_registry& registry) {
  using pt = parameter_type;
  operation_definition defs[] = {
    {"sample_Wait",
     "Wait",
     samples::operation_wait_codeunit,
     {{"Wait", pt::integer, true}}},
    // A function: `GET /api/data/v9.2/sample_Echo(Text='hi')` calls it.
    {"sample_Echo",
     "Echo",
     samples::operation_echo_codeunit,
     {{"Text", pt::string, false}, {"Number", pt::integer, false}},
     std::chrono::minutes(2),
     operation_kind::function},
    {"sample_Flaky",
     "Flaky",
     samples::operation_flaky_codeunit,
     {{"FailTimes", pt::integer, true}}},
    {"sample_BlockCustomers", "Block all customers",
     samples::block_all_customers_codeunit, {}},
  };
  for (auto& def : defs)
    if (auto err = registry.add(std::move(def)))
      return err;
  return caf::none;
}

} // namespace stagehand
