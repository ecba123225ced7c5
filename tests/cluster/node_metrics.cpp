// Tests each node's load on /metrics with a real `stagehand worker`
// process: its running work and capacity while it runs tasks, then its lost
// count once it is killed. The families' format is tested in
// tests/server/api/metrics_page.cpp, the figures in tests/services/.
#include <boost/test/unit_test.hpp>

#include <csignal>

#include "samples/sample_codeunits.hpp"
#include "server/api/metrics_page.hpp"
#include "services/node_loads.hpp"
#include "tests/support/cluster_nodes.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

/// The coordinator's /metrics page, as serve renders it.
std::string metrics_text(runtime& rt) {
  http_metrics http;
  auto stats = rt.stats();
  return metrics_page(stats, node_loads(rt.nodes(), stats), {}, http, {}).body();
}

bool has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cluster_node_metrics)

BOOST_AUTO_TEST_CASE(a_worker_s_load_shows_and_its_loss_counts) {
  coordinator_runtime coord{{"--stagehand.placement=remote",
                             "--stagehand.worker-capacity=5"}};
  worker_process w1{coord.door(), "w1", {"--stagehand.worker-capacity=3"}};
  w1.joined();
  require_eventually([&] { return coord.is_live("w1"); }, "w1 live");
  auto& rt = *coord.rt;
  auto text = metrics_text(rt);
  BOOST_CHECK_MESSAGE(has(text, "stagehand_node_capacity{node=\"w1\"} 3"),
                      text);
  // With placement remote this process takes nothing.
  BOOST_CHECK_MESSAGE(has(text, "stagehand_node_capacity{node=\"local\"} 0"),
                      text);
  BOOST_CHECK_MESSAGE(has(text, "stagehand_node_lost_total{node=\"w1\"} 0"),
                      text);
  auto session = rt.open_session(client_type::web_client);
  BOOST_REQUIRE(session);
  auto page = rt.open_page(*session, "CUSTOMER 10000");
  for (int i = 0; i < 2; ++i)
    BOOST_REQUIRE(rt.enqueue_background_task(
      page, {samples::wait_codeunit,
             {{"Wait", "60000"}},
             caf::none,
             error_level::error,
             ""}));
  require_eventually(
    [&] {
      return has(metrics_text(rt), "stagehand_node_running{node=\"w1\"} 2");
    },
    "two tasks running on w1");
  text = metrics_text(rt);
  BOOST_CHECK_MESSAGE(has(text, "stagehand_node_running{node=\"local\"} 0"),
                      text);
  w1.proc.signal(SIGKILL);
  require_eventually(
    [&] {
      auto t = metrics_text(rt);
      return has(t, "stagehand_node_lost_total{node=\"w1\"} 1")
             && has(t, "stagehand_node_running{node=\"w1\"} 0");
    },
    "w1 counted lost, with nothing running");
  text = metrics_text(rt);
  BOOST_CHECK_MESSAGE(has(text, "stagehand_node_lost_total{node=\"local\"} 0"),
                      text);
}

BOOST_AUTO_TEST_SUITE_END()
