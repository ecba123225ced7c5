#pragma once

#include <memory>

#include "runtime/runtime.hpp"
#include "server/operation_runner.hpp"
#include "tests/support/thread_operation_runner.hpp"

namespace stagehand::test {

/// The one place where server tests (and, until issue 5 lands, `stagehand
/// serve`) get their operation runner. Swap in the background-session
/// runner here.
inline std::unique_ptr<operation_runner> make_operation_runner(runtime& rt) {
  return std::make_unique<thread_operation_runner>(
    rt.services()->codeunits, rt.services()->companies.get());
}

} // namespace stagehand::test
