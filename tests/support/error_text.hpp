#pragma once

#include <string>

#include <caf/expected.hpp>

#include "core/errc.hpp"

namespace stagehand::test {

/// The error of `x` for a failure message; Boost builds the message even
/// when the check passes.
template <class T>
std::string why(const caf::expected<T>& x) {
  return x ? std::string{} : describe(x.error());
}

} // namespace stagehand::test
