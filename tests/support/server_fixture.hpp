#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/test/unit_test.hpp>

#include "server/serve_config.hpp"
#include "core/log.hpp"
#include "runtime/runtime.hpp"
#include "services/node_loads.hpp"
#include "samples/sample_codeunits.hpp"
#include "server/operation_server.hpp"
#include "samples/sample_operations.hpp"
#include "tests/support/api_client.hpp"
#include "server/scheduler/session_operation_runner.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// Keys of the server tests: two users and an administrator.
inline constexpr const char* alice_key = "alice-key";
inline constexpr const char* bob_key = "bob-key";
inline constexpr const char* admin_key = "root-key";

/// A real `operation_server` on a free loopback port, over a runtime with
/// the sample codeunits and operations, in a data directory of its own.
struct server_fixture {
  temp_data_dir dir;
  serve_config cfg;
  std::unique_ptr<runtime> rt;
  std::unique_ptr<operation_runner> runner;
  operation_registry registry;
  std::unique_ptr<operation_server> server;
  /// Makes each new server's URL check; unset, the server's default
  /// (loopback only, real DNS).
  std::function<std::unique_ptr<target_check>()> make_check;
  /// The server's logger; null means one at `cfg.log_level` on stderr.
  std::shared_ptr<spdlog::logger> log;

  server_fixture() {
    cfg.log_level = "off";
    cfg.data_dir = dir.path.string();
    cfg.http.port = 0;
    cfg.security.api_keys
      = {std::string{alice_key} + "=alice", std::string{bob_key} + "=bob",
         std::string{admin_key} + "=root:admin"};
    cfg.operations.retry_initial_backoff = std::chrono::milliseconds(1);
    cfg.operations.retry_max_backoff = std::chrono::milliseconds(10);
    cfg.operations.shutdown_grace_period = std::chrono::milliseconds(100);
  }

  ~server_fixture() {
    // The server first: its scheduler stops attempts on the runner, whose
    // codeunits run in the runtime.
    server.reset();
    runner.reset();
  }

  /// Starts the server; `tweak` may change the config first.
  void start(const std::function<void(serve_config&)>& tweak = {}) {
    if (tweak)
      tweak(cfg);
    BOOST_REQUIRE(!cfg.validate());
    rt = std::make_unique<runtime>(cfg);
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
    BOOST_REQUIRE(!register_sample_operations(registry));
    runner = std::make_unique<session_operation_runner>(*rt);
    restart();
  }

  /// A new server on the same data directory, runtime and runner, as after
  /// a crash.
  void restart() {
    server.reset();
    server = std::make_unique<operation_server>(
      cfg, registry, *runner, log ? log : make_logger(cfg.log_level));
    server->set_runtime_counters([this] { return rt->stats(); });
    server->set_node_loads(
      [this] { return node_loads(rt->nodes(), rt->stats()); });
    if (make_check)
      server->set_target_check(make_check());
    auto err = server->start();
    BOOST_REQUIRE_MESSAGE(!err, cfg.render(err));
  }

  /// Every stored operation, whoever's.
  std::size_t stored_count() {
    operation_query all;
    all.top = 1000000;
    return server->store().list(all).size();
  }

  api_client client(const char* key = alice_key) const {
    return api_client{server->port(), key};
  }
};

} // namespace stagehand::test
