// Tests apps/serve.hpp: `stagehand serve` as a separate process, crashed
// with kill -9 and restarted on the same data directory, and shut down with
// SIGTERM.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "server/operation_store.hpp"
#include "server/signature.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

const std::string status_path = "/api/backgroundoperation/";

std::vector<std::string> options(const temp_data_dir& dir,
                                 const std::string& grace = "30s") {
  return {"--stagehand.log-level=off",
          "--stagehand.http-port=0",
          "--stagehand.data-dir=" + dir.path.string(),
          R"(--stagehand.api-keys=["k=alice"])",
          "--stagehand.operation-retry-initial-backoff=1ms",
          "--stagehand.operation-retry-max-backoff=5ms",
          "--stagehand.shutdown-grace-period=" + grace};
}

std::string submit(api_client& c, const std::string& op,
                   const std::string& body) {
  auto res = c.post("/api/data/v9.2/" + op, body,
                    {{"Prefer", "respond-async"}});
  BOOST_REQUIRE_EQUAL(res.status, 202u);
  return res.json().at("backgroundOperationId").get<std::string>();
}

void wait_status(api_client& c, const std::string& id, int status) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (c.get(status_path + id).json().at("backgroundOperationStatusCode")
         != status)
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                          "operation " << id << " did not reach status "
                                       << status << " within 10 s");
}

} // namespace

BOOST_AUTO_TEST_SUITE(apps_serve)

BOOST_AUTO_TEST_CASE(after_kill_9_every_accepted_operation_ends_exactly_once) {
  temp_data_dir dir;
  std::string done, running, canceling;
  {
    serve_process first{options(dir)};
    api_client c{first.port(), "k"};
    done = submit(c, "sample_Echo", R"({"Text": "before"})");
    c.wait_terminal(done);
    running = submit(c, "sample_Wait", R"({"Wait": 60000})");
    canceling = submit(c, "sample_Wait", R"({"Wait": 60000})");
    wait_status(c, running, 20);
    wait_status(c, canceling, 20);
    BOOST_REQUIRE_EQUAL(c.del(status_path + canceling).status, 200u);
    BOOST_CHECK_EQUAL(first.stop(SIGKILL), -1);
  }
  serve_process second{options(dir, "100ms")};
  api_client c{second.port(), "k"};
  // Completed before the crash: unchanged.
  auto before = c.get(status_path + done).json();
  BOOST_CHECK_EQUAL(before.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(before.at("Text"), "before");
  // Canceling at the crash: Canceled, never rerun.
  BOOST_CHECK_EQUAL(c.wait_terminal(canceling).at(
                      "backgroundOperationStatusCode"),
                    32);
  // In Progress at the crash: retried, and the retry counted.
  wait_status(c, running, 20);
  auto rows = c.get("/api/backgroundoperations").json().at("value");
  BOOST_REQUIRE_EQUAL(rows.size(), 3u);
  for (auto& row : rows) {
    auto id = row.at("backgroundoperationid").get<std::string>();
    BOOST_CHECK_EQUAL(row.at("retrycount"), id == running ? 1 : 0);
  }
  BOOST_CHECK_EQUAL(c.del(status_path + running).status, 200u);
  BOOST_CHECK_EQUAL(second.stop(SIGTERM), 0);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_what_outlasts_the_grace_period_for_retry) {
  temp_data_dir dir;
  std::string slow, quick;
  {
    // Both run when SIGTERM comes (one still Ready would just stay Ready);
    // the grace period leaves the quick one five times its run, so that a
    // loaded machine (CI runs this under ASan) still lets it finish.
    serve_process server{options(dir, "5s")};
    api_client c{server.port(), "k"};
    slow = submit(c, "sample_Wait", R"({"Wait": 60000})");
    quick = submit(c, "sample_Wait", R"({"Wait": 1000})");
    wait_status(c, slow, 20);
    wait_status(c, quick, 20);
    BOOST_CHECK_EQUAL(server.stop(SIGTERM), 0);
  }
  auto store = operation_store::open((dir.path / "system.db").string(),
                                     std::chrono::seconds(1));
  BOOST_REQUIRE(store);
  auto q = (*store)->find(quick);
  BOOST_REQUIRE(q);
  BOOST_CHECK(q->status == operation_status::succeeded);
  auto s = (*store)->find(slow);
  BOOST_REQUIRE(s);
  BOOST_CHECK(s->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(s->retry_count, 1);
}

BOOST_AUTO_TEST_CASE(callbacks_and_webhooks_arrive_signed_and_failures_are_kept) {
  temp_data_dir dir;
  http_receiver receiver;
  auto opts = options(dir);
  opts.back() = R"(--stagehand.api-keys=["k=alice", "r=root:admin"])";
  opts.push_back("--stagehand.delivery-secret=test-secret");
  opts.push_back("--stagehand.delivery-max-attempts=2");
  opts.push_back("--stagehand.delivery-initial-backoff=1ms");
  opts.push_back("--stagehand.delivery-max-backoff=1ms");
  serve_process server{opts};
  api_client alice{server.port(), "k"};
  api_client admin{server.port(), "r"};
  // Only loopback is allowed by default: another host is refused, unstored.
  auto refused = alice.post("/api/data/v9.2/sample_Echo", R"({"Text": "x"})",
                            {{"Prefer", "respond-async, callback; "
                                        "url=\"http://10.0.0.1/hook\""}});
  BOOST_CHECK_EQUAL(refused.status, 400u);
  BOOST_CHECK_NE(refused.json().at("error").at("message").get<std::string>().find("10.0.0.1"),
                 std::string::npos);
  BOOST_CHECK(alice.get("/api/backgroundoperations").json().at("value").empty());
  BOOST_REQUIRE_EQUAL(admin.post("/api/webhooks",
                                 R"({"event": "OnBackgroundOperationComplete", "url": ")"
                                   + receiver.url("/event") + R"("})")
                        .status / 100,
                      2u);
  auto res = alice.post("/api/data/v9.2/sample_Echo", R"({"Text": "hi"})",
                        {{"Prefer", "respond-async, callback; url=\""
                                      + receiver.url("/callback") + "\""}});
  BOOST_REQUIRE_EQUAL(res.status, 202u);
  BOOST_CHECK_EQUAL(res.header("preference-applied"), "callback");
  auto id = res.json().at("backgroundOperationId").get<std::string>();
  BOOST_REQUIRE(receiver.wait_for_requests(2));
  for (auto& req : receiver.requests()) {
    BOOST_CHECK(!verify("test-secret", req.header("x-stagehand-timestamp"),
                        req.body, req.header("x-stagehand-signature"),
                        std::chrono::system_clock::now()));
    auto body = nlohmann::json::parse(req.body);
    if (req.target == "/callback") {
      BOOST_CHECK_EQUAL(body.at("backgroundOperationId"), id);
      BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 30);
      BOOST_CHECK(!body.contains("Text")); // no output parameters
    } else {
      BOOST_CHECK_EQUAL(req.target, "/event");
      BOOST_CHECK_EQUAL(body.at("OperationName"), "sample_Echo");
      BOOST_CHECK_EQUAL(body.at("BackgroundOperationId"), id);
    }
  }
  // A receiver that keeps failing: the final failure is kept on the record.
  receiver.answer({500, 500, 500, 500});
  auto failing = submit(alice, "sample_Echo", R"({"Text": "again"})");
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string failure;
  while (failure.empty()) {
    auto listing = admin.get("/api/backgroundoperations").json();
    for (auto& row : listing.at("value"))
      if (row.at("backgroundoperationid").get<std::string>() == failing)
        failure = row.at("deliveryfailure").get<std::string>();
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                          "no delivery failure recorded within 10 s");
  }
  BOOST_CHECK_NE(failure.find("webhook"), std::string::npos);
  BOOST_CHECK_NE(failure.find("500"), std::string::npos);
  BOOST_CHECK_EQUAL(server.stop(SIGTERM), 0);
}

BOOST_AUTO_TEST_SUITE_END()
