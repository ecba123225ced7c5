// Tests server/api/metrics_page.hpp through a real server: /healthz, and
// /metrics in Prometheus' text format with the runtime's gauges, operations
// by status and HTTP requests by route.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

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

BOOST_AUTO_TEST_SUITE_END()
