#pragma once

#include <filesystem>
#include <memory>

#include "server/serve_config.hpp"
#include "server/security/api_key_ring.hpp"
#include "server/http/http_connection.hpp"
#include "server/http/http_metrics.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "server/operations/operation_store.hpp"
#include "server/http/request_handler.hpp"
#include "server/security/target_check.hpp"
#include "tests/fuzz/instant_runner.hpp"

namespace stagehand::fuzz {

/// What `operation_server::start` assembles behind its listener: the system
/// database in a data dir of its own, the scheduler over the sample
/// operations, and the API, with three keys. The fuzz target hands it
/// requests as a connection would and checks each answer.
class request_path {
public:
  request_path();

  request_path(const request_path&) = delete;
  request_path& operator=(const request_path&) = delete;

  /// Stops the scheduler and removes the data dir.
  ~request_path();

  /// Hands `req` to the API, waits for its answer and checks it; aborts,
  /// naming the request, if the answer breaks a rule of the fuzz target.
  void answer(http_request req);

private:
  std::filesystem::path dir_;
  serve_config cfg_;
  operation_registry registry_;
  instant_runner runner_;
  http_metrics metrics_;
  std::shared_ptr<operation_store> store_;
  std::unique_ptr<operation_scheduler> scheduler_;
  std::unique_ptr<target_check> check_;
  std::unique_ptr<request_handler> api_;
  std::unique_ptr<api_key_ring> keys_;
};

} // namespace stagehand::fuzz
