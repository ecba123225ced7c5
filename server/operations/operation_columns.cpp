#include "server/operations/operation_columns.hpp"

namespace stagehand {

const std::vector<entity_column>& operation_filter_columns() {
  using type = entity_column::type;
  static const std::vector<entity_column> columns{
    {"backgroundoperationstatecode", "state", type::integer, false},
    {"backgroundoperationstatuscode", "status", type::integer, false},
    {"name", "name", type::text, false},
    {"displayname", "display_name", type::text, false},
    {"runas", "run_as", type::text, false},
    {"retrycount", "retry_count", type::integer, false},
    {"errormessage", "error_message", type::text, false},
    {"createdon", "created_on", type::time, false},
    {"starttime", "start_time", type::time, true},
    {"endtime", "end_time", type::time, true},
    {"inputparameters", "input_parameters", type::parameters, false},
    {"outputparameters", "output_parameters", type::parameters, false},
  };
  return columns;
}

} // namespace stagehand
