#include "server/operations/operation_columns.hpp"

#include "server/operations/error_number.hpp"

namespace stagehand {

namespace {

/// `errorcode` as SQL: the table keeps the error's name, the entity shows
/// its number (`error_number`), so a filter compares the number the CASE
/// gives. The names are the runtime's own constants, never a client's text,
/// and hold no quote.
std::string error_number_sql() {
  std::string out = "(CASE error_code";
  for (auto& [name, number] : listed_error_numbers())
    out += " WHEN '" + std::string{name} + "' THEN " + std::to_string(number);
  return out + " ELSE " + std::to_string(unlisted_error_number) + " END)";
}

} // namespace

const std::vector<entity_column>& operation_filter_columns() {
  using type = entity_column::type;
  static const std::vector<entity_column> columns{
    {"backgroundoperationstatecode", "state", type::integer, false},
    {"backgroundoperationstatuscode", "status", type::integer, false},
    {"name", "name", type::text, false},
    {"displayname", "display_name", type::text, false},
    {"runas", "run_as", type::text, false},
    {"retrycount", "retry_count", type::integer, false},
    {"errorcode", error_number_sql(), type::integer, false},
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
