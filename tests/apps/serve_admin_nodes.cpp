// Tests the admin page's nodes route on a real `stagehand serve` whose door
// a real `stagehand worker` joins, then loses to kill -9.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "tests/support/api_client.hpp"
#include "tests/support/cluster_nodes.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand::test;

namespace {

/// A loopback port that was free a moment ago: the door binds it next.
std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe{
    io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  return probe.local_endpoint().port();
}

/// The row of node `name` in `/api/admin/nodes`, or null.
nlohmann::json node_row(api_client& admin, const std::string& name) {
  auto res = admin.get("/api/admin/nodes");
  BOOST_REQUIRE_MESSAGE(res.status == 200, res.status << " " << res.body);
  auto body = res.json();
  for (auto& row : body.at("value"))
    if (row.at("name") == name)
      return row;
  return nullptr;
}

} // namespace

BOOST_AUTO_TEST_SUITE(apps_serve_admin_nodes)

BOOST_AUTO_TEST_CASE(a_worker_shows_live_then_lost) {
  temp_data_dir dir;
  auto door = free_port();
  serve_process serve{{"--stagehand.log-level=off", "--stagehand.http-port=0",
                       "--stagehand.data-dir=" + dir.path.string(),
                       R"(--stagehand.api-keys=["adm=root:admin"])",
                       "--stagehand.cluster-port=" + std::to_string(door)}};
  api_client admin{serve.port(), "adm"};
  worker_process worker{"127.0.0.1:" + std::to_string(door), "w1"};
  worker.joined();
  nlohmann::json row;
  api_client::wait_until(std::chrono::seconds(20), "w1 listed live", [&] {
    row = node_row(admin, "w1");
    return !row.is_null() && row.at("lost") == false;
  });
  BOOST_CHECK_EQUAL(row.at("losttotal"), 0);
  BOOST_CHECK_GT(row.at("capacity").get<int>(), 0);
  BOOST_CHECK(!node_row(admin, "local").is_null());
  worker.proc.signal(SIGKILL);
  api_client::wait_until(std::chrono::seconds(30), "w1 listed lost", [&] {
    row = node_row(admin, "w1");
    return row.at("lost") == true;
  });
  BOOST_CHECK_EQUAL(row.at("losttotal"), 1);
  BOOST_CHECK_GT(row.at("lastheardseconds").get<double>(), 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
