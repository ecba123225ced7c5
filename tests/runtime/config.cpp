// Tests runtime/config.hpp: SPEC.md §1 defaults, and that the INI file and
// the command line both set them.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/config.hpp"

using namespace stagehand;

namespace {

caf::error parse(config& cfg, std::vector<std::string> args) {
  std::vector<char*> argv{const_cast<char*>("stagehand")};
  for (auto& arg : args)
    argv.push_back(arg.data());
  if (auto err = cfg.parse(static_cast<int>(argv.size()), argv.data()))
    return err;
  return cfg.validate();
}

} // namespace

BOOST_AUTO_TEST_SUITE(runtime_config)

BOOST_AUTO_TEST_CASE(defaults_are_the_platform_s) {
  config cfg;
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 5u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 100u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::minutes(2));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(10));
  BOOST_CHECK_EQUAL(cfg.data_dir, "./data");
  BOOST_CHECK_EQUAL(cfg.database_pool_size, 8u);
  BOOST_CHECK(cfg.database_busy_timeout == std::chrono::seconds(5));
  BOOST_CHECK(!cfg.validate());
}

BOOST_AUTO_TEST_CASE(caf_scheduler_skips_its_sleeping_poll_phase) {
  auto moderate = [](const config& cfg) {
    return caf::get_or(cfg, "work-stealing.moderate-poll-attempts",
                       std::size_t{500});
  };
  config ours;
  BOOST_REQUIRE(!parse(ours, {}));
  BOOST_CHECK_EQUAL(moderate(ours), 0u);
  config theirs;
  BOOST_REQUIRE(!parse(theirs, {"--work-stealing.moderate-poll-attempts=7"}));
  BOOST_CHECK_EQUAL(moderate(theirs), 7u);
}

BOOST_AUTO_TEST_CASE(the_command_line_sets_each_key) {
  config cfg;
  BOOST_REQUIRE(!parse(
    cfg, {"--stagehand.child-sessions-max-concurrency=3",
          "--stagehand.child-sessions-max-queue-length=7",
          "--stagehand.page-background-task-default-timeout=30s",
          "--stagehand.page-background-task-max-timeout=5min",
          "--stagehand.codeunit-threads=12", "--stagehand.log-level=warn",
          "--stagehand.data-dir=/srv/companies",
          "--stagehand.database-pool-size=3",
          "--stagehand.database-busy-timeout=250ms"}));
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 3u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 7u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::seconds(30));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(5));
  BOOST_CHECK_EQUAL(cfg.codeunit_threads, 12u);
  BOOST_CHECK_EQUAL(cfg.log_level, "warn");
  BOOST_CHECK_EQUAL(cfg.data_dir, "/srv/companies");
  BOOST_CHECK_EQUAL(cfg.database_pool_size, 3u);
  BOOST_CHECK(cfg.database_busy_timeout == std::chrono::milliseconds(250));
}

BOOST_AUTO_TEST_CASE(the_ini_file_sets_each_key) {
  auto path = std::string{"stagehand-config-test.ini"};
  {
    std::ofstream out{path};
    out << "[stagehand]\n"
           "child-sessions-max-concurrency=9\n"
           "child-sessions-max-queue-length=0\n"
           "page-background-task-default-timeout=1min\n"
           "page-background-task-max-timeout=20min\n";
  }
  config cfg;
  auto err = parse(cfg, {"--config-file=" + path});
  std::remove(path.c_str());
  BOOST_REQUIRE(!err);
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 9u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 0u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::minutes(1));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(20));
}

BOOST_AUTO_TEST_CASE(bad_values_name_their_key) {
  config zero;
  auto err = parse(zero, {"--stagehand.child-sessions-max-concurrency=0"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(zero.render(err).find("child-sessions-max-concurrency"),
                 std::string::npos);
  config inverted;
  err = parse(inverted, {"--stagehand.page-background-task-max-timeout=1min"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(inverted.render(err).find("page-background-task-max-timeout"),
                 std::string::npos);
  config level;
  err = parse(level, {"--stagehand.log-level=loud"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(level.render(err).find("loud"), std::string::npos);
  config no_pool;
  err = parse(no_pool, {"--stagehand.database-pool-size=0"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(no_pool.render(err).find("database-pool-size"),
                 std::string::npos);
  config garbage;
  BOOST_CHECK(parse(garbage, {"--stagehand.codeunit-threads=many"}));
}

// -- HTTP server (issue 6) ---------------------------------------------------

BOOST_AUTO_TEST_CASE(serve_defaults) {
  config cfg;
  BOOST_CHECK_EQUAL(cfg.http_address, "127.0.0.1");
  BOOST_CHECK_EQUAL(cfg.http_port, 8080);
  BOOST_CHECK(cfg.api_keys.empty());
  BOOST_CHECK_EQUAL(cfg.operation_max_retries, 3u);
  BOOST_CHECK(cfg.operation_ttl == std::chrono::hours(24 * 90));
  BOOST_CHECK(cfg.shutdown_grace_period == std::chrono::seconds(30));
  BOOST_CHECK_EQUAL(cfg.http_max_connections, 1024u);
  BOOST_CHECK(cfg.http_header_timeout == std::chrono::seconds(10));
}

BOOST_AUTO_TEST_CASE(the_ini_file_sets_the_serve_keys) {
  auto path = std::string{"stagehand-serve-config-test.ini"};
  {
    std::ofstream out{path};
    out << "[stagehand]\n"
           "http-address=\"0.0.0.0\"\n"
           "http-port=9090\n"
           "api-keys=[\"k1=alice\", \"k2=root:admin\"]\n"
           "shutdown-grace-period=5s\n"
           "operation-max-retries=5\n"
           "operation-retry-initial-backoff=200ms\n"
           "operation-retry-backoff-factor=3.0\n"
           "operation-retry-max-backoff=30s\n"
           "operation-retry-jitter=0.1\n"
           "operation-ttl=3600s\n"
           "operation-ttl-purge-interval=10s\n"
           "operation-ttl-purge-batch=50\n"
           "http-max-connections=64\n"
           "http-header-timeout=2500ms\n";
  }
  config cfg;
  auto err = parse(cfg, {"--config-file=" + path});
  std::remove(path.c_str());
  BOOST_REQUIRE_MESSAGE(!err, cfg.render(err));
  BOOST_CHECK_EQUAL(cfg.http_address, "0.0.0.0");
  BOOST_CHECK_EQUAL(cfg.http_port, 9090);
  BOOST_CHECK((cfg.api_keys
               == std::vector<std::string>{"k1=alice", "k2=root:admin"}));
  BOOST_CHECK(cfg.shutdown_grace_period == std::chrono::seconds(5));
  BOOST_CHECK_EQUAL(cfg.operation_max_retries, 5u);
  BOOST_CHECK(cfg.operation_retry_initial_backoff
              == std::chrono::milliseconds(200));
  BOOST_CHECK_EQUAL(cfg.operation_retry_backoff_factor, 3.0);
  BOOST_CHECK(cfg.operation_retry_max_backoff == std::chrono::seconds(30));
  BOOST_CHECK_EQUAL(cfg.operation_retry_jitter, 0.1);
  BOOST_CHECK(cfg.operation_ttl == std::chrono::hours(1));
  BOOST_CHECK(cfg.operation_ttl_purge_interval == std::chrono::seconds(10));
  BOOST_CHECK_EQUAL(cfg.operation_ttl_purge_batch, 50u);
  BOOST_CHECK_EQUAL(cfg.http_max_connections, 64u);
  BOOST_CHECK(cfg.http_header_timeout == std::chrono::milliseconds(2500));
}

BOOST_AUTO_TEST_CASE(bad_serve_values_name_their_key) {
  auto refused = [](std::vector<std::string> args, const char* key) {
    config cfg;
    auto err = parse(cfg, std::move(args));
    BOOST_REQUIRE_MESSAGE(err, key);
    BOOST_CHECK_MESSAGE(cfg.render(err).find(key) != std::string::npos,
                        cfg.render(err));
  };
  refused({"--stagehand.operation-ttl=500ms"}, "operation-ttl");
  refused({"--stagehand.operation-retry-jitter=1.5"}, "operation-retry-jitter");
  refused({"--stagehand.operation-retry-backoff-factor=0.5"},
          "operation-retry-backoff-factor");
  refused({"--stagehand.operation-ttl-purge-batch=0"},
          "operation-ttl-purge-batch");
  refused({"--stagehand.http-threads=0"}, "http-threads");
  refused({"--stagehand.http-max-connections=0"}, "http-max-connections");
  refused({"--stagehand.http-header-timeout=0s"}, "http-header-timeout");
  refused({"--stagehand.http-header-timeout=-1s"}, "http-header-timeout");
  refused({R"(--stagehand.api-keys=["nokey"])"}, "api-keys");
  refused({R"(--stagehand.api-keys=["k=a", "k=b"])"}, "api-keys");
  refused({R"(--stagehand.api-keys=["k=a:root"])"}, "api-keys");
}

BOOST_AUTO_TEST_SUITE_END()
