// libFuzzer target: binding a submit's JSON body to an operation's declared
// parameters (server/operation_definition `bind`), from raw bytes as the API
// parses them.
//
// Every sample operation, and one with a parameter of each type, binds any
// JSON without a crash: either the inputs, each a declared parameter whose
// text matches its type, with every required one present; or
// invalid_argument with a text.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "server/operations/operation_registry.hpp"
#include "samples/sample_operations.hpp"

namespace {

using stagehand::operation_definition;
using stagehand::parameter_type;

std::vector<operation_definition> definitions() {
  stagehand::operation_registry registry;
  if (stagehand::register_sample_operations(registry))
    std::abort();
  std::vector<operation_definition> defs;
  for (auto name : {"sample_Wait", "sample_Echo", "sample_Flaky",
                    "sample_BlockCustomers"})
    defs.push_back(*registry.find(name));
  defs.push_back({"fuzz_AllTypes",
                  "All types",
                  1,
                  {{"Text", parameter_type::string, true},
                   {"Count", parameter_type::integer, false},
                   {"Flag", parameter_type::boolean, false},
                   {"", parameter_type::string, false}}});
  return defs;
}

[[noreturn]] void fail(const operation_definition& def, const char* why) {
  std::fprintf(stderr, "bind of %s: %s\n", def.name.c_str(), why);
  std::abort();
}

bool integer_text(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_number_integer() && parsed.dump() == text;
}

void check(const operation_definition& def, const nlohmann::json& body) {
  auto inputs = def.bind(body);
  if (!inputs) {
    if (inputs.error() != caf::sec::invalid_argument)
      fail(def, "refused with an error other than invalid_argument");
    if (!inputs.error().context().match_elements<std::string>()
        || inputs.error().context().get_as<std::string>(0).empty())
      fail(def, "refused without a text");
    return;
  }
  for (auto& param : def.parameters) {
    auto i = inputs->find(param.name);
    if (i == inputs->end()) {
      if (param.required)
        fail(def, "bound without a required parameter");
      continue;
    }
    if (param.type == parameter_type::integer && !integer_text(i->second))
      fail(def, "bound an integer parameter to a text that is no integer");
    if (param.type == parameter_type::boolean && i->second != "true"
        && i->second != "false")
      fail(def, "bound a boolean parameter to a text other than true/false");
  }
  for (auto& [key, value] : *inputs) {
    auto declared = false;
    for (auto& param : def.parameters)
      declared = declared || param.name == key;
    if (!declared)
      fail(def, "bound a parameter that is not declared");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static const auto defs = definitions();
  auto body = nlohmann::json::parse(data, data + size, nullptr, false);
  if (body.is_discarded())
    return 0;
  for (auto& def : defs)
    check(def, body);
  return 0;
}
