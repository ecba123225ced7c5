// Tests the cluster keys of runtime/config.hpp (core/cluster_settings.hpp):
// defaults, validation with the keys named, the heartbeat defaults and their
// override, the TLS files mapped onto CAF's openssl keys, and the door that
// a runtime refuses to open beyond loopback without TLS.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <unistd.h>

#include "core/errc.hpp"
#include "runtime/runtime.hpp"
#include "tests/support/config_args.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

std::string refusal(std::vector<std::string> args) {
  config cfg;
  auto err = parse(cfg, std::move(args));
  return err ? config::render(err) : std::string{"(accepted)"};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(runtime_cluster_config)

BOOST_AUTO_TEST_CASE(defaults_are_off_loopback_spread) {
  config cfg;
  BOOST_REQUIRE(!parse(cfg, {}));
  BOOST_CHECK_EQUAL(cfg.cluster.port, 0u);
  BOOST_CHECK_EQUAL(cfg.cluster.address, "127.0.0.1");
  BOOST_CHECK(!cfg.cluster.tls());
  BOOST_CHECK_EQUAL(cfg.cluster.worker_capacity, 8u);
  BOOST_CHECK(parse_placement(cfg.cluster.placement) == placement_mode::spread);
  // Filled in by parse: <host>:<pid>.
  BOOST_CHECK(contains(cfg.cluster.node_name,
                       ":" + std::to_string(::getpid())));
  // Not clustering, so no middleman and no network thread.
  BOOST_CHECK(!cfg.cluster_enabled());
}

BOOST_AUTO_TEST_CASE(the_command_line_sets_each_cluster_key) {
  config cfg;
  BOOST_REQUIRE(!parse(cfg, {"--stagehand.cluster-port=4710",
                             "--stagehand.cluster-address=::1",
                             "--stagehand.node-name=n1",
                             "--stagehand.worker-capacity=3",
                             "--stagehand.placement=remote"}));
  BOOST_CHECK_EQUAL(cfg.cluster.port, 4710u);
  BOOST_CHECK_EQUAL(cfg.cluster.address, "::1");
  BOOST_CHECK_EQUAL(cfg.cluster.node_name, "n1");
  BOOST_CHECK_EQUAL(cfg.cluster.worker_capacity, 3u);
  BOOST_CHECK(parse_placement(cfg.cluster.placement) == placement_mode::remote);
  // A cluster port loads the middleman and the openssl manager.
  BOOST_CHECK(cfg.cluster_enabled());
}

BOOST_AUTO_TEST_CASE(a_bad_placement_names_the_allowed_values) {
  auto text = refusal({"--stagehand.placement=anywhere"});
  BOOST_CHECK_MESSAGE(contains(text, "--stagehand.placement=anywhere")
                        && contains(text, "expected one of local, spread or "
                                          "remote"),
                      text);
}

BOOST_AUTO_TEST_CASE(zero_capacity_is_refused) {
  auto text = refusal({"--stagehand.worker-capacity=0"});
  BOOST_CHECK_MESSAGE(contains(text, "worker-capacity")
                        && contains(text, "must be at least 1"),
                      text);
}

BOOST_AUTO_TEST_CASE(partial_tls_keys_name_the_missing_ones) {
  auto text = refusal({"--stagehand.cluster-certificate=node.pem"});
  BOOST_CHECK_MESSAGE(contains(text, "missing: cluster-key, cluster-ca"), text);
  text = refusal({"--stagehand.cluster-certificate=node.pem",
                  "--stagehand.cluster-ca=ca.pem"});
  BOOST_CHECK_MESSAGE(contains(text, "missing: cluster-key"), text);
}

BOOST_AUTO_TEST_CASE(a_non_loopback_address_without_tls_names_the_three_keys) {
  for (auto address : {"0.0.0.0", "10.1.2.3", "example.org"}) {
    auto text = refusal({std::string{"--stagehand.cluster-address="} + address});
    BOOST_CHECK_MESSAGE(contains(text, "cluster-certificate, cluster-key and "
                                       "cluster-ca"),
                        text);
  }
  for (auto address : {"127.0.0.1", "127.8.9.10", "::1", "localhost"})
    BOOST_CHECK_EQUAL(
      refusal({std::string{"--stagehand.cluster-address="} + address}),
      "(accepted)");
  BOOST_CHECK_EQUAL(refusal({"--stagehand.cluster-address=0.0.0.0",
                             "--stagehand.cluster-certificate=a.pem",
                             "--stagehand.cluster-key=a.key",
                             "--stagehand.cluster-ca=ca.pem"}),
                    "(accepted)");
}

BOOST_AUTO_TEST_CASE(a_runtime_will_not_open_the_door_beyond_loopback) {
  // Set in code, past validate: the runtime checks again.
  temp_data_dir data;
  config cfg;
  cfg.data_dir = data.path.string();
  cfg.log_level = "off";
  cfg.cluster.address = "0.0.0.0";
  cfg.enable_cluster();
  runtime rt{cfg};
  auto port = rt.listen_for_workers(0);
  BOOST_REQUIRE(!port);
  BOOST_CHECK(is(port.error(), errc::cluster_unavailable));
  BOOST_CHECK_MESSAGE(contains(describe(port.error()),
                               "cluster-certificate, cluster-key and "
                               "cluster-ca"),
                      describe(port.error()));
}

BOOST_AUTO_TEST_CASE(a_runtime_without_the_cluster_modules_says_so) {
  temp_data_dir data;
  config cfg;
  cfg.data_dir = data.path.string();
  cfg.log_level = "off";
  runtime rt{cfg};
  auto port = rt.listen_for_workers(0);
  BOOST_REQUIRE(!port);
  BOOST_CHECK(contains(describe(port.error()), "config::enable_cluster()"));
  BOOST_CHECK(!rt.cluster_port());
}

BOOST_AUTO_TEST_CASE(cluster_port_opens_the_door_with_the_runtime) {
  temp_data_dir data;
  config cfg;
  // A free port, found by opening a door on port 0 first.
  std::uint16_t free_port = 0;
  {
    config probe;
    probe.data_dir = data.path.string();
    probe.log_level = "off";
    probe.enable_cluster();
    runtime rt{probe};
    free_port = *rt.listen_for_workers(0);
  }
  BOOST_REQUIRE(!parse(cfg, {"--stagehand.cluster-port="
                               + std::to_string(free_port),
                             "--stagehand.log-level=off",
                             "--stagehand.data-dir=" + data.path.string()}));
  runtime rt{cfg};
  auto port = rt.cluster_port();
  BOOST_REQUIRE_MESSAGE(port, (port ? "" : describe(port.error())));
  BOOST_CHECK_EQUAL(*port, free_port);
}

BOOST_AUTO_TEST_CASE(a_cluster_port_in_use_is_kept_as_the_runtime_s_error) {
  temp_data_dir data;
  config first;
  first.data_dir = data.path.string();
  first.log_level = "off";
  first.enable_cluster();
  runtime holder{first};
  auto taken = holder.listen_for_workers(0);
  BOOST_REQUIRE(taken);
  config cfg;
  BOOST_REQUIRE(!parse(cfg, {"--stagehand.cluster-port="
                               + std::to_string(*taken),
                             "--stagehand.log-level=off",
                             "--stagehand.data-dir=" + data.path.string()}));
  runtime rt{cfg}; // runs on; the door stays closed and says why
  auto port = rt.cluster_port();
  BOOST_REQUIRE(!port);
  BOOST_CHECK(is(port.error(), errc::cluster_unavailable));
  BOOST_CHECK_MESSAGE(contains(describe(port.error()),
                               "cannot listen on 127.0.0.1:"
                                 + std::to_string(*taken)),
                      describe(port.error()));
}

BOOST_AUTO_TEST_CASE(heartbeats_default_to_a_lost_node_within_a_second) {
  config cfg;
  BOOST_REQUIRE(!parse(cfg, {}));
  auto interval = caf::get_or(cfg, "middleman.heartbeat-interval",
                              caf::timespan{0});
  auto timeout = caf::get_or(cfg, "middleman.connection-timeout",
                             caf::timespan{0});
  BOOST_CHECK(interval == std::chrono::milliseconds(100));
  BOOST_CHECK(timeout == std::chrono::milliseconds(600));
  BOOST_CHECK(interval + timeout < std::chrono::seconds(1));
}

BOOST_AUTO_TEST_CASE(caf_s_heartbeat_keys_override_ours) {
  config cfg;
  BOOST_REQUIRE(!parse(cfg, {"--middleman.heartbeat-interval=250ms",
                             "--middleman.connection-timeout=2s"}));
  BOOST_CHECK(caf::get_or(cfg, "middleman.heartbeat-interval",
                          caf::timespan{0})
              == std::chrono::milliseconds(250));
  BOOST_CHECK(caf::get_or(cfg, "middleman.connection-timeout",
                          caf::timespan{0})
              == std::chrono::seconds(2));
}

BOOST_AUTO_TEST_CASE(the_tls_files_become_caf_s_openssl_keys) {
  config cfg;
  BOOST_REQUIRE(!parse(cfg, {"--stagehand.cluster-certificate=/c/node.pem",
                             "--stagehand.cluster-key=/c/node.key",
                             "--stagehand.cluster-ca=/c/ca.pem"}));
  BOOST_CHECK_EQUAL(cfg.openssl_certificate, "/c/node.pem");
  BOOST_CHECK_EQUAL(cfg.openssl_key, "/c/node.key");
  BOOST_CHECK_EQUAL(cfg.openssl_cafile, "/c/ca.pem");
  config plain;
  BOOST_REQUIRE(!parse(plain, {}));
  BOOST_CHECK(plain.openssl_certificate.empty());
}

BOOST_AUTO_TEST_CASE(settings_text_lists_the_cluster_keys) {
  config cfg;
  auto text = cfg.settings_text(false);
  for (auto key : {"cluster-port=0", "cluster-address=\"127.0.0.1\"",
                   "cluster-certificate=\"\"", "cluster-key=\"\"",
                   "cluster-ca=\"\"", "node-name=\"\"", "worker-capacity=8",
                   "placement=\"spread\""})
    BOOST_CHECK_MESSAGE(contains(text, key), key << " not in\n" << text);
}

BOOST_AUTO_TEST_CASE(enable_cluster_loads_the_modules_once) {
  config cfg;
  auto before = cfg.module_factories.size();
  cfg.enable_cluster();
  BOOST_CHECK_EQUAL(cfg.module_factories.size(), before + 2);
  cfg.enable_cluster();
  BOOST_CHECK_EQUAL(cfg.module_factories.size(), before + 2);
}

BOOST_AUTO_TEST_SUITE_END()
