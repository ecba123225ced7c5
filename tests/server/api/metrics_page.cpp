// Tests server/api/metrics_page.hpp through a real server: /healthz, and
// /metrics in Prometheus' text format with the runtime's gauges, each node's
// load, operations by status and HTTP requests by route; and the node
// families on their own. With real workers: tests/cluster/node_metrics.cpp.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

#include "server/api/metrics_page.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

BOOST_AUTO_TEST_SUITE(server_metrics_page)

BOOST_FIXTURE_TEST_CASE(healthz_and_metrics, server_fixture) {
  start();
  auto c = client();
  auto health = c.get("/healthz");
  BOOST_CHECK_EQUAL(health.status, 200u);
  BOOST_CHECK_EQUAL(health.json().at("status"), "ok");
  c.wait_terminal(c.submit("sample_Echo", "{}"));
  c.get("/api/backgroundoperation/nope");
  auto res = c.get("/metrics");
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  BOOST_CHECK_EQUAL(res.header("content-type"), "text/plain; version=0.0.4");
  auto& text = res.body;
  for (auto* needle :
       {"# TYPE stagehand_active_child_sessions gauge\n"
        "stagehand_active_child_sessions 0\n",
        "# TYPE stagehand_active_background_sessions gauge\n"
        "stagehand_active_background_sessions 0\n",
        "# TYPE stagehand_queued_background_sessions gauge\n"
        "stagehand_queued_background_sessions 0\n",
        "# TYPE stagehand_queued_tasks gauge\nstagehand_queued_tasks 0\n",
        "# TYPE stagehand_cancels_total counter\n"
        "stagehand_cancels_total{state=\"requested\"} 0\n"
        "stagehand_cancels_total{state=\"acknowledged\"} 0\n"
        "stagehand_cancels_total{state=\"forced\"} 0\n",
        // One process: `local` alone, with the default worker-capacity.
        "# TYPE stagehand_node_running gauge\n"
        "stagehand_node_running{node=\"local\"} 0\n",
        "# TYPE stagehand_node_capacity gauge\n"
        "stagehand_node_capacity{node=\"local\"} 8\n",
        "# TYPE stagehand_node_lost_total counter\n"
        "stagehand_node_lost_total{node=\"local\"} 0\n",
        "# TYPE stagehand_node_last_heard_seconds gauge\n"
        "stagehand_node_last_heard_seconds{node=\"local\"} 0.000\n",
        "stagehand_operations{status=\"Succeeded\",code=\"30\"} 1\n",
        "stagehand_operations{status=\"Failed\",code=\"31\"} 0\n",
        "# TYPE stagehand_http_requests_total counter\n",
        "stagehand_http_requests_total{route=\"submit\",code=\"202\"} 1\n",
        "stagehand_http_requests_total{route=\"status\",code=\"404\"} 1\n",
        "# TYPE stagehand_http_request_duration_seconds histogram\n",
        "stagehand_http_request_duration_seconds_bucket{route=\"submit\",le=\"+"
        "Inf\"} 1\n",
        "stagehand_http_request_duration_seconds_count{route=\"submit\"} 1\n"})
    BOOST_CHECK_MESSAGE(text.find(needle) != std::string::npos,
                        "missing: " << needle << "\nin:\n"
                                    << text);
  // Every sample line is NAME{LABELS} VALUE or NAME VALUE.
  std::istringstream lines{text};
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#')
      continue;
    auto space = line.rfind(' ');
    BOOST_REQUIRE(space != std::string::npos);
    BOOST_CHECK_NO_THROW(std::stod(line.substr(space + 1)));
  }
}

BOOST_AUTO_TEST_CASE(every_node_has_a_series_in_each_node_family) {
  std::vector<node_load> nodes{{"local", 2, 8, 0, 0.0},
                               {"w1", 3, 4, 1, 1.25},
                               {"odd\"name\\\n", 0, 2, 0, 0.5}};
  http_metrics http;
  auto text = metrics_page(counters{}, nodes, {}, http).body();
  for (auto* needle : {
         "# HELP stagehand_node_running ",
         "# TYPE stagehand_node_running gauge\n"
         "stagehand_node_running{node=\"local\"} 2\n"
         "stagehand_node_running{node=\"w1\"} 3\n"
         "stagehand_node_running{node=\"odd\\\"name\\\\\\n\"} 0\n",
         "# HELP stagehand_node_capacity ",
         "# TYPE stagehand_node_capacity gauge\n"
         "stagehand_node_capacity{node=\"local\"} 8\n"
         "stagehand_node_capacity{node=\"w1\"} 4\n",
         "# HELP stagehand_node_lost_total ",
         "# TYPE stagehand_node_lost_total counter\n"
         "stagehand_node_lost_total{node=\"local\"} 0\n"
         "stagehand_node_lost_total{node=\"w1\"} 1\n",
         "# HELP stagehand_node_last_heard_seconds ",
         "# TYPE stagehand_node_last_heard_seconds gauge\n"
         "stagehand_node_last_heard_seconds{node=\"local\"} 0.000\n"
         "stagehand_node_last_heard_seconds{node=\"w1\"} 1.250\n"})
    BOOST_CHECK_MESSAGE(text.find(needle) != std::string::npos,
                        "missing: " << needle << "\nin:\n"
                                    << text);
}

BOOST_AUTO_TEST_CASE(without_nodes_no_node_family_is_written) {
  http_metrics http;
  auto text = metrics_page(counters{}, {}, {}, http).body();
  BOOST_CHECK_EQUAL(text.find("stagehand_node_"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(writes_the_operation_totals_as_counters) {
  http_metrics http;
  auto text = metrics_page(counters{}, {}, {}, http, {7, 4, 2, 1}).body();
  for (auto* needle :
       {"# TYPE stagehand_operations_total counter\n",
        "stagehand_operations_total{event=\"submitted\"} 7\n",
        "stagehand_operations_total{event=\"succeeded\"} 4\n",
        "stagehand_operations_total{event=\"failed\"} 2\n",
        "stagehand_operations_total{event=\"canceled\"} 1\n"})
    BOOST_CHECK_MESSAGE(text.find(needle) != std::string::npos,
                        "missing: " << needle << "\nin:\n"
                                    << text);
}

BOOST_AUTO_TEST_SUITE_END()
