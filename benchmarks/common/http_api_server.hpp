#pragma once
// `stagehand serve` in the benchmark's process: the real operation_server
// over a runtime with the sample operations, on a free loopback port.

#include <cstdint>
#include <memory>

#include "benchmarks/common/worker_processes.hpp"
#include "runtime/runtime.hpp"
#include "server/operation_server.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/scheduler/session_operation_runner.hpp"
#include "server/serve_config.hpp"

namespace stagehand::bench {

/// One server per measurement, each with a system.db of its own in a
/// temporary directory, so that no measurement runs beside another's
/// backlog. Requests authenticate with `http_api_key` as user `bench`. Its
/// end shuts the server down and leaves operations still waiting Ready in
/// the directory, which then goes: a backlog left at the end is not what
/// is measured.
class http_api_server {
public:
  /// Throws `std::runtime_error` if the config is refused or the server
  /// cannot start.
  http_api_server();

  http_api_server(const http_api_server&) = delete;
  http_api_server& operator=(const http_api_server&) = delete;

  std::uint16_t port() const {
    return server_->port();
  }

private:
  // Declared in creation order, so that the server goes first.
  temp_dir data_{"http-api"};
  serve_config cfg_;
  std::unique_ptr<runtime> rt_;
  operation_registry registry_;
  std::unique_ptr<session_operation_runner> runner_;
  std::unique_ptr<operation_server> server_;
};

} // namespace stagehand::bench
