#pragma once

#include <cstdint>
#include <string>

namespace stagehand {

/// The JSON types an operation's input parameter may declare, named as
/// custom API parameter types are. Values travel as text either way
/// (`dictionary`); the type decides which JSON values a submit may give.
enum class parameter_type : std::uint8_t { string, integer, boolean };

const char* to_string(parameter_type x) noexcept;

/// One declared input parameter of an operation.
struct operation_parameter {
  std::string name;
  parameter_type type = parameter_type::string;
  bool required = true;
};

} // namespace stagehand
