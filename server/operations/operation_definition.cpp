#include "server/operations/operation_definition.hpp"

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

namespace stagehand {

const char* to_string(operation_kind x) noexcept {
  return x == operation_kind::function ? "function" : "action";
}

caf::expected<dictionary>
operation_definition::bind(const nlohmann::json& body) const {
  auto fail = [](std::string why) {
    return caf::make_error(caf::sec::invalid_argument, std::move(why));
  };
  if (!body.is_object())
    return fail("The request body must be a JSON object of input parameters.");
  dictionary inputs;
  for (auto& param : parameters) {
    auto i = body.find(param.name);
    if (i == body.end() || i->is_null()) {
      if (param.required)
        return fail("The required parameter '" + param.name
                    + "' is missing.");
      continue;
    }
    auto mistyped = [&] {
      return fail("The parameter '" + param.name + "' must be of type "
                  + to_string(param.type) + ".");
    };
    switch (param.type) {
    case parameter_type::string:
      if (!i->is_string())
        return mistyped();
      inputs.emplace(param.name, i->get<std::string>());
      break;
    case parameter_type::integer:
      if (!i->is_number_integer())
        return mistyped();
      inputs.emplace(param.name, i->dump());
      break;
    case parameter_type::boolean:
      if (!i->is_boolean())
        return mistyped();
      inputs.emplace(param.name, i->get<bool>() ? "true" : "false");
      break;
    }
  }
  for (auto& [key, value] : body.items())
    if (inputs.count(key) == 0 && !value.is_null()) {
      auto declared = false;
      for (auto& param : parameters)
        declared = declared || param.name == key;
      if (!declared)
        return fail("The operation '" + name + "' has no parameter '" + key
                    + "'.");
    }
  return inputs;
}

} // namespace stagehand
