// Tests server/serve_config.hpp: the keys of `stagehand serve`, in the same
// INI file and command line as the runtime's, with the same kind of errors.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "server/serve_config.hpp"
#include "tests/support/config_args.hpp"

using namespace stagehand;
using namespace stagehand::test;

BOOST_AUTO_TEST_SUITE(server_serve_config)

BOOST_AUTO_TEST_CASE(serve_defaults) {
  serve_config cfg;
  BOOST_CHECK_EQUAL(cfg.http.address, "127.0.0.1");
  BOOST_CHECK_EQUAL(cfg.http.port, 8080);
  BOOST_CHECK(cfg.security.api_keys.empty());
  BOOST_CHECK_EQUAL(cfg.operations.max_retries, 3u);
  BOOST_CHECK(cfg.operations.ttl == std::chrono::hours(24 * 90));
  BOOST_CHECK(cfg.operations.shutdown_grace_period == std::chrono::seconds(30));
  BOOST_CHECK_EQUAL(cfg.http.max_connections, 1024u);
  BOOST_CHECK(cfg.http.header_timeout == std::chrono::seconds(10));
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
  serve_config cfg;
  auto err = parse(cfg, {"--config-file=" + path});
  std::remove(path.c_str());
  BOOST_REQUIRE_MESSAGE(!err, cfg.render(err));
  BOOST_CHECK_EQUAL(cfg.http.address, "0.0.0.0");
  BOOST_CHECK_EQUAL(cfg.http.port, 9090);
  BOOST_CHECK((cfg.security.api_keys
               == std::vector<std::string>{"k1=alice", "k2=root:admin"}));
  BOOST_CHECK(cfg.operations.shutdown_grace_period == std::chrono::seconds(5));
  BOOST_CHECK_EQUAL(cfg.operations.max_retries, 5u);
  BOOST_CHECK(cfg.operations.retry_initial_backoff
              == std::chrono::milliseconds(200));
  BOOST_CHECK_EQUAL(cfg.operations.retry_backoff_factor, 3.0);
  BOOST_CHECK(cfg.operations.retry_max_backoff == std::chrono::seconds(30));
  BOOST_CHECK_EQUAL(cfg.operations.retry_jitter, 0.1);
  BOOST_CHECK(cfg.operations.ttl == std::chrono::hours(1));
  BOOST_CHECK(cfg.operations.ttl_purge_interval == std::chrono::seconds(10));
  BOOST_CHECK_EQUAL(cfg.operations.ttl_purge_batch, 50u);
  BOOST_CHECK_EQUAL(cfg.http.max_connections, 64u);
  BOOST_CHECK(cfg.http.header_timeout == std::chrono::milliseconds(2500));
}

BOOST_AUTO_TEST_CASE(bad_serve_values_name_their_key) {
  auto refused = check_refused<serve_config>;
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

BOOST_AUTO_TEST_CASE(a_port_out_of_range_names_the_range) {
  check_says(refusal<serve_config>({"--stagehand.http-port=70000"}),
             {"a whole number from 0 to 65535"});
}

BOOST_AUTO_TEST_CASE(rules_between_keys_are_stated_in_the_error) {
  check_says(
    refusal<serve_config>({"--stagehand.operation-retry-max-backoff=500ms"}),
    {"--stagehand.operation-retry-max-backoff=500ms",
     "must not be below operation-retry-initial-backoff (1s)"});
  check_says(refusal<serve_config>({"--stagehand.delivery-max-backoff=10ms"}),
             {"must not be below delivery-initial-backoff (1s)"});
}

BOOST_AUTO_TEST_CASE(a_callback_ca_file_must_load) {
  check_says(
    refusal<serve_config>({"--stagehand.callback-ca-file=/nonexistent/ca.pem"}),
    {"--stagehand.callback-ca-file=/nonexistent/ca.pem: cannot load "
     "'/nonexistent/ca.pem': No such file or directory"});
  ini_file not_pem{"not a certificate\n"};
  ini_file ini{"[stagehand]\ncallback-ca-file=\"" + not_pem.path + "\"\n"};
  check_says(refusal<serve_config>({"--config-file=" + ini.path}),
             {ini.path + ":2: stagehand.callback-ca-file=",
              "cannot load '" + not_pem.path + "': "});
  serve_config cfg;
  BOOST_CHECK_EQUAL(cfg.deliveries.ca_file, "");
}

BOOST_AUTO_TEST_CASE(the_runtime_s_checks_still_apply) {
  check_says(refusal<serve_config>({"--stagehand.codeunit-threads=0"}),
             {"--stagehand.codeunit-threads=0: must be at least 1"});
}

BOOST_AUTO_TEST_CASE(the_listing_has_the_serve_keys_and_reads_back) {
  serve_config defaults;
  check_says(defaults.settings_text(false),
             {"operation-retry-backoff-factor=2.0", "http-port=8080",
              "codeunit-threads=256", "; bearer keys, each KEY=USER"});
  serve_config changed;
  BOOST_REQUIRE(!parse(changed, {"--stagehand.operation-ttl=90s",
                                 R"(--stagehand.api-keys=["k=alice"])"}));
  auto effective = changed.settings_text(true);
  check_says(effective, {"operation-ttl=90s "});
  ini_file ini{effective};
  serve_config again;
  auto err = parse(again, {"--config-file=" + ini.path});
  BOOST_REQUIRE_MESSAGE(!err, config::render(err));
  BOOST_CHECK(again.operations.ttl == std::chrono::seconds(90));
  BOOST_CHECK((again.security.api_keys == std::vector<std::string>{"k=alice"}));
  BOOST_CHECK_EQUAL(again.settings_text(true), effective);
}

BOOST_AUTO_TEST_SUITE_END()
