#include "server/odata/sql_dialect.hpp"

namespace stagehand {

std::string sql_dialect::placeholder(std::size_t n) const {
  return "?" + std::to_string(n);
}

std::string sql_dialect::text_contains(const std::string& column,
                                       const std::string& value) const {
  return "instr(" + column + ", " + value + ") > 0";
}

std::string sql_dialect::parameters_contain(const std::string& column,
                                            const std::string& value) const {
  return "EXISTS (SELECT 1 FROM json_each(" + column
         + ") AS pair WHERE instr(json_extract(pair.value, '$.Key') || '=' || "
           "json_extract(pair.value, '$.Value'), "
         + value + ") > 0)";
}

} // namespace stagehand
