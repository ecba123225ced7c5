#include "server/operations/operation_parameter.hpp"

namespace stagehand {

const char* to_string(parameter_type x) noexcept {
  switch (x) {
  case parameter_type::string:
    return "String";
  case parameter_type::integer:
    return "Integer";
  case parameter_type::boolean:
    return "Boolean";
  }
  return "?";
}

} // namespace stagehand
