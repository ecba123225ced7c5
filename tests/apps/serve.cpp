// Tests apps/serve.hpp: `stagehand serve` as a separate process, crashed
// with kill -9 and restarted on the same data directory, shut down with
// SIGTERM, started for the first time without keys, and sent the requests
// that once crashed it.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "server/operations/operation_store.hpp"
#include "server/security/signature.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/stored_operation.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

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

/// `options` without `api-keys`, as a first run has them.
std::vector<std::string> keyless_options(const temp_data_dir& dir) {
  auto opts = options(dir);
  opts.erase(std::remove_if(opts.begin(), opts.end(),
                            [](const std::string& o) {
                              return o.rfind("--stagehand.api-keys=", 0) == 0;
                            }),
             opts.end());
  return opts;
}

/// What serve prints after its address when it made or read its own key:
/// the key file, the key, and a curl line that lists the operations.
struct printed_key {
  std::string intro;
  std::string key;
  std::string curl;
};

printed_key read_printed_key(serve_process& p) {
  printed_key out;
  out.intro = p.read_line();
  auto key_line = p.read_line();
  BOOST_REQUIRE_EQUAL(key_line.rfind("    ", 0), 0u);
  out.key = key_line.substr(4);
  BOOST_CHECK_EQUAL(p.read_line(), "List the operations with:");
  out.curl = p.read_line();
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(apps_serve)

BOOST_AUTO_TEST_CASE(after_kill_9_every_accepted_operation_ends_exactly_once) {
  temp_data_dir dir;
  std::string done, running, canceling;
  {
    serve_process first{options(dir)};
    api_client c{first.port(), "k"};
    done = c.submit("sample_Echo", R"({"Text": "before"})");
    c.wait_terminal(done);
    running = c.submit("sample_Wait", R"({"Wait": 60000})");
    canceling = c.submit("sample_Wait", R"({"Wait": 60000})");
    c.wait_status(running, 20, std::chrono::seconds(10));
    c.wait_status(canceling, 20, std::chrono::seconds(10));
    BOOST_REQUIRE_EQUAL(c.del(api_client::status_path(canceling)).status, 200u);
    BOOST_CHECK_EQUAL(first.stop(SIGKILL), -1);
  }
  serve_process second{options(dir, "100ms")};
  api_client c{second.port(), "k"};
  // Completed before the crash: unchanged.
  auto before = c.get(api_client::status_path(done)).json();
  BOOST_CHECK_EQUAL(before.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(before.at("Text"), "before");
  // Canceling at the crash: Canceled, never rerun.
  BOOST_CHECK_EQUAL(
    c.wait_terminal(canceling).at("backgroundOperationStatusCode"), 32);
  // In Progress at the crash: retried, and the retry counted.
  c.wait_status(running, 20, std::chrono::seconds(10));
  auto rows = c.get("/api/backgroundoperations").json().at("value");
  BOOST_REQUIRE_EQUAL(rows.size(), 3u);
  for (auto& row : rows) {
    auto id = row.at("backgroundoperationid").get<std::string>();
    BOOST_CHECK_EQUAL(row.at("retrycount"), id == running ? 1 : 0);
  }
  BOOST_CHECK_EQUAL(c.del(api_client::status_path(running)).status, 200u);
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
    slow = c.submit("sample_Wait", R"({"Wait": 60000})");
    quick = c.submit("sample_Wait", R"({"Wait": 1000})");
    c.wait_status(slow, 20, std::chrono::seconds(10));
    c.wait_status(quick, 20, std::chrono::seconds(10));
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

BOOST_AUTO_TEST_CASE(
  callbacks_and_webhooks_arrive_signed_and_failures_are_kept) {
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
  BOOST_CHECK_NE(
    refused.json().at("error").at("message").get<std::string>().find(
      "10.0.0.1"),
    std::string::npos);
  BOOST_CHECK(
    alice.get("/api/backgroundoperations").json().at("value").empty());
  BOOST_REQUIRE_EQUAL(
    admin
        .post("/api/webhooks",
              R"({"event": "OnBackgroundOperationComplete", "url": ")"
                + receiver.url("/event") + R"("})")
        .status
      / 100,
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
  auto failing = alice.submit("sample_Echo", R"({"Text": "again"})");
  auto failure = kept_delivery_failure(*open_store(dir), failing);
  BOOST_CHECK_NE(failure.find("webhook"), std::string::npos);
  BOOST_CHECK_NE(failure.find("500"), std::string::npos);
  BOOST_CHECK_EQUAL(server.stop(SIGTERM), 0);
}

// -- the first run (issue 10) -------------------------------------------------

BOOST_AUTO_TEST_CASE(a_first_run_makes_an_admin_key_and_later_runs_reuse_it) {
  temp_data_dir dir;
  auto file = (dir.path / "admin-api-key").string();
  std::string key;
  {
    serve_process first{keyless_options(dir)};
    auto printed = read_printed_key(first);
    BOOST_CHECK_EQUAL(printed.intro,
                      "No api-keys are configured, so serve made an admin key "
                      "and keeps it in "
                        + file + ":");
    key = printed.key;
    BOOST_CHECK_EQUAL(printed.curl, "    curl -H 'Authorization: Bearer " + key
                                      + "' " + first.url() + "/api/data/v9.2/");
    struct stat st;
    BOOST_REQUIRE(::stat(file.c_str(), &st) == 0);
    BOOST_CHECK_EQUAL(st.st_mode & 0777, 0600u);
    // The printed key works, as an admin's.
    api_client admin{first.port(), key};
    auto listing = admin.get("/api/data/v9.2/");
    BOOST_REQUIRE_EQUAL(listing.status, 200u);
    BOOST_CHECK(!listing.json().at("value").empty());
    auto hook = admin.post("/api/webhooks",
                           R"({"event": "OnBackgroundOperationComplete",
                               "url": "http://127.0.0.1:9/"})");
    BOOST_CHECK_EQUAL(hook.status, 201u);
    BOOST_CHECK_EQUAL(
      api_client(first.port(), "x").get("/api/data/v9.2/").status, 401u);
    BOOST_CHECK_EQUAL(first.stop(SIGTERM), 0);
  }
  serve_process second{keyless_options(dir)};
  auto again = read_printed_key(second);
  BOOST_CHECK_EQUAL(again.intro,
                    "No api-keys are configured; using the admin key kept in "
                      + file + ":");
  BOOST_CHECK_EQUAL(again.key, key);
  api_client admin{second.port(), key};
  BOOST_CHECK_EQUAL(admin.get("/api/backgroundoperations").status, 200u);
  BOOST_CHECK_EQUAL(second.stop(SIGTERM), 0);
}

BOOST_AUTO_TEST_CASE(configured_api_keys_replace_the_first_run_key) {
  temp_data_dir dir;
  auto file = dir.path / "admin-api-key";
  {
    serve_process configured{options(dir)};
    BOOST_CHECK_EQUAL(
      api_client(configured.port(), "k").get("/api/data/v9.2/").status, 200u);
    BOOST_CHECK_EQUAL(configured.stop(SIGTERM), 0);
  }
  BOOST_CHECK(!std::filesystem::exists(file));
  std::string key;
  {
    serve_process keyless{keyless_options(dir)};
    key = read_printed_key(keyless).key;
    BOOST_CHECK_EQUAL(keyless.stop(SIGTERM), 0);
  }
  serve_process configured{options(dir)};
  BOOST_CHECK_EQUAL(
    api_client(configured.port(), key).get("/api/data/v9.2/").status, 401u);
  BOOST_CHECK_EQUAL(
    api_client(configured.port(), "k").get("/api/data/v9.2/").status, 200u);
  BOOST_CHECK_EQUAL(configured.stop(SIGTERM), 0);
}

// -- requests that once crashed serve (issue 10) ------------------------------

BOOST_AUTO_TEST_CASE(
  an_upper_case_path_without_a_key_answers_404_and_serve_lives) {
  temp_data_dir dir;
  serve_process server{options(dir)};
  api_client anonymous{server.port()};
  auto res = anonymous.del("/API/backgroundoperation/"
                           "00000000-0000-4000-8000-000000000000");
  BOOST_CHECK_EQUAL(res.status, 404u);
  BOOST_CHECK_EQUAL(anonymous.post("/API/data/v9.2/sample_Echo", "{}").status,
                    404u);
  BOOST_CHECK_EQUAL(anonymous.get("/healthz").status, 200u);
  api_client alice{server.port(), "k"};
  BOOST_CHECK(
    alice.get("/api/backgroundoperations").json().at("value").empty());
  // Exit code 0: SIGTERM found it running, not crashed (that would be -1).
  BOOST_CHECK_EQUAL(server.stop(SIGTERM), 0);
}

BOOST_AUTO_TEST_SUITE_END()
