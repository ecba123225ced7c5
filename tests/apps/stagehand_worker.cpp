// Tests `stagehand worker HOST:PORT`'s arguments and the tool's refusal of a
// door beyond loopback without TLS; tests/cluster/ runs workers that join.
#include <boost/test/unit_test.hpp>

#include <string>

#include "tests/support/cli_run.hpp"

using namespace stagehand::test;

BOOST_AUTO_TEST_SUITE(apps_stagehand_worker)

BOOST_AUTO_TEST_CASE(each_malformed_host_port_is_refused) {
  for (auto bad : {"4710", "host:", ":4710", "host:0", "host:65536",
                   "host:12a", "::1:80", "[]:80"}) {
    auto r = run_cli(std::string{"worker "} + bad);
    BOOST_CHECK_EQUAL(r.exit_code, 2);
    BOOST_CHECK_MESSAGE(r.err.find("worker: expected HOST:PORT")
                          != std::string::npos,
                        bad << ": " << r.err);
  }
}

BOOST_AUTO_TEST_CASE(a_bad_address_is_a_clear_error) {
  auto r = run_cli("worker localhost");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_MESSAGE(r.err.find("worker: expected HOST:PORT of a "
                                 "coordinator, e.g. 127.0.0.1:4710, got "
                                 "'localhost'")
                        != std::string::npos,
                      r.err);
}

BOOST_AUTO_TEST_CASE(worker_without_an_address_prints_its_usage) {
  auto r = run_cli("worker");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK(r.err.find("usage: stagehand [OPTION ...] worker HOST:PORT")
              != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_non_loopback_door_without_tls_is_refused_at_start) {
  auto r = run_cli("--stagehand.cluster-address=0.0.0.0 "
                   "--stagehand.cluster-port=4710 config");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_MESSAGE(r.err.find("set cluster-certificate, cluster-key and "
                                 "cluster-ca")
                        != std::string::npos,
                      r.err);
}

BOOST_AUTO_TEST_SUITE_END()
