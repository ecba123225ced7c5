// Tests the admin routes of `stagehand serve` (docs/admin.md) on a real
// process: the compiled-in page, the refusal of every other key, a running
// operation's background session seen and stopped, the rates counting
// submits, and one operation's every column.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "tests/support/api_client.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

const std::vector<std::string> admin_paths{
  "/api/admin/sessions",
  "/api/admin/backgroundsessions",
  "/api/admin/pagetasks",
  "/api/admin/nodes",
  "/api/admin/rates",
  "/api/admin/operations(00000000-0000-0000-0000-000000000000)"};

struct admin_fixture {
  temp_data_dir dir;
  serve_process serve{{"--stagehand.log-level=off", "--stagehand.http-port=0",
                       "--stagehand.data-dir=" + dir.path.string(),
                       R"(--stagehand.api-keys=["adm=root:admin","usr=alice"])",
                       "--stagehand.shutdown-grace-period=0s"}};
  api_client admin{serve.port(), "adm"};

  /// Submits `sample_Wait` for `ms` milliseconds without waiting for it.
  std::string submit_wait(int ms) {
    auto res = admin.post("/api/data/v9.2/sample_Wait",
                          R"({"Wait":)" + std::to_string(ms) + "}",
                          {{"Prefer", "respond-async"}});
    BOOST_REQUIRE_MESSAGE(res.status == 202, res.status << " " << res.body);
    return res.json().at("backgroundOperationId").get<std::string>();
  }

  /// The background session rows whose state is `state`.
  std::vector<nlohmann::json> sessions_in(const std::string& state) {
    auto res = admin.get("/api/admin/backgroundsessions");
    BOOST_REQUIRE_MESSAGE(res.status == 200, res.status << " " << res.body);
    std::vector<nlohmann::json> out;
    auto body = res.json();
    for (auto& row : body.at("value"))
      if (row.at("state") == state)
        out.push_back(row);
    return out;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(apps_serve_admin, admin_fixture)

BOOST_AUTO_TEST_CASE(serves_the_page_without_a_key_under_a_strict_policy) {
  api_client anyone{serve.port()};
  auto page = anyone.get("/admin");
  BOOST_REQUIRE_EQUAL(page.status, 200u);
  BOOST_CHECK_EQUAL(page.header("content-type"), "text/html; charset=utf-8");
  BOOST_CHECK_NE(
    page.header("content-security-policy").find("script-src 'self'"),
    std::string::npos);
  BOOST_CHECK_NE(page.body.find("/admin/admin.js"), std::string::npos);
  auto script = anyone.get("/admin/admin.js");
  BOOST_CHECK_EQUAL(script.status, 200u);
  BOOST_CHECK_EQUAL(script.header("content-type"),
                    "text/javascript; charset=utf-8");
  BOOST_CHECK_EQUAL(anyone.get("/admin/admin.css").status, 200u);
  check_error(anyone.get("/admin/missing.js"), 404,
              "The admin page has no file '/admin/missing.js'.");
}

BOOST_AUTO_TEST_CASE(the_admin_routes_refuse_every_other_key) {
  api_client user{serve.port(), "usr"};
  api_client anyone{serve.port()};
  for (auto& path : admin_paths) {
    BOOST_TEST_CONTEXT(path) {
      check_error(user.get(path), 403);
      check_error(anyone.get(path), 401);
    }
  }
  check_error(user.post("/api/admin/backgroundsessions(1)/stop", ""), 403);
}

BOOST_AUTO_TEST_CASE(
  a_running_operation_is_a_background_session_an_admin_stops) {
  auto id = submit_wait(60'000);
  std::vector<nlohmann::json> running;
  api_client::wait_until(std::chrono::seconds(20), "a running session", [&] {
    running = sessions_in("Running");
    return !running.empty();
  });
  auto session = running.front().at("sessionid").get<std::uint64_t>();
  BOOST_CHECK_EQUAL(running.front().at("tag"), "operation");
  BOOST_CHECK_EQUAL(running.front().at("userid"), "root");
  // The Active Session table lists it too.
  auto active = admin.get("/api/admin/sessions").json().at("value");
  auto listed = std::any_of(active.begin(), active.end(), [&](auto& row) {
    return row.at("sessionid") == session
           && row.at("clienttype") == "Background";
  });
  BOOST_CHECK_MESSAGE(listed, active.dump());
  auto stop_path
    = "/api/admin/backgroundsessions(" + std::to_string(session) + ")/stop";
  auto stopped = admin.post(stop_path, "");
  BOOST_REQUIRE_MESSAGE(stopped.status == 200, stopped.body);
  BOOST_CHECK_EQUAL(stopped.json().at("stopped"), true);
  api_client::wait_until(std::chrono::seconds(20), "the Stopped row", [&] {
    for (auto& row : sessions_in("Stopped"))
      if (row.at("sessionid") == session)
        return row.at("comment") == "stopped by an admin";
    return false;
  });
  check_error(admin.post(stop_path, ""), 404,
              "Background session " + std::to_string(session)
                + " is not active: it ended, or never ran.");
  check_error(admin.post("/api/admin/backgroundsessions(x1)/stop", ""), 400,
              "'x1' is not a session id: it must be a number.");
  admin.del("/api/backgroundOperation/" + id);
}

BOOST_AUTO_TEST_CASE(an_admin_cancel_ends_a_running_operation_at_once) {
  auto id = submit_wait(60'000);
  admin.wait_status(id, 20);
  api_client user{serve.port(), "usr"};
  check_error(user.del("/api/admin/operations(" + id + ")"), 403);
  auto res = admin.del("/api/admin/operations(" + id + ")");
  BOOST_REQUIRE_MESSAGE(res.status == 200, res.body);
  BOOST_CHECK_EQUAL(res.json().at("backgroundOperationStatusCode"), 22);
  // Well before the minute it would otherwise run.
  auto ended = admin.wait_status(id, 32, std::chrono::seconds(20));
  BOOST_CHECK_EQUAL(ended.at("backgroundOperationErrorMessage"),
                    "An administrator canceled the operation while it ran.");
  BOOST_CHECK_EQUAL(admin.status(id).at("retrycount"), 0);
  check_error(admin.del("/api/admin/operations(" + id + ")"), 400,
              "Canceling background operation is not allowed after it is in "
              "terminal state.");
}

BOOST_AUTO_TEST_CASE(the_rates_count_submits_and_endings) {
  for (int i = 0; i < 3; ++i)
    submit_wait(1);
  nlohmann::json rates;
  api_client::wait_until(std::chrono::seconds(20), "three successes", [&] {
    rates = admin.get("/api/admin/rates").json();
    return rates.at("totals").at("succeeded") == 3;
  });
  BOOST_CHECK_EQUAL(rates.at("totals").at("submitted"), 3);
  auto metrics = admin.get("/metrics").body;
  BOOST_CHECK_NE(
    metrics.find("stagehand_operations_total{event=\"submitted\"} 3\n"),
    std::string::npos);
  // The sampler records once a second: the submits show as a rate.
  api_client::wait_until(std::chrono::seconds(20), "a submit rate", [&] {
    rates = admin.get("/api/admin/rates").json();
    double submitted = 0;
    for (auto& s : rates.at("samples"))
      submitted += s.at("submitted").get<double>();
    return submitted > 0;
  });
}

BOOST_AUTO_TEST_CASE(one_operation_shows_every_column_to_an_admin) {
  auto id = submit_wait(1);
  admin.wait_terminal(id);
  auto res = admin.get("/api/admin/operations(" + id + ")");
  BOOST_REQUIRE_MESSAGE(res.status == 200, res.body);
  auto row = res.json();
  BOOST_CHECK_EQUAL(row.at("backgroundoperationid"), id);
  BOOST_CHECK_EQUAL(row.at("backgroundoperationstatuscode"), 30);
  BOOST_CHECK_EQUAL(
    row.at("backgroundoperationstatuscode@OData.Community.Display.V1."
           "FormattedValue"),
    "Succeeded");
  BOOST_CHECK_EQUAL(row.at("inputparameters").at(0).at("Key"), "Wait");
  for (auto* column : {"callbackurl", "deliveryfailure", "notified",
                       "cancelrequested", "errorname", "location"})
    BOOST_CHECK_MESSAGE(row.contains(column), "no " << column);
  check_error(admin.get("/api/admin/operations(nope)"), 404,
              "Could not find item 'nope'.");
}

BOOST_AUTO_TEST_SUITE_END()
