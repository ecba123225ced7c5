// Tests https callbacks of `stagehand serve`, a separate process, end to
// end: an operation whose callback URL is an https receiver signed by the
// CA of `callback-ca-file` gets its signed callback; one whose receiver the
// CA did not sign gets nothing, and the operation keeps why; a CA file that
// cannot be loaded stops the tool before it starts, naming the key and the
// path.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "server/security/signature.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/cli_run.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/stored_operation.hpp"
#include "tests/support/temp_data_dir.hpp"
#include "tests/support/test_pki.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

std::vector<std::string> options(const temp_data_dir& dir,
                                 const test_pki& pki) {
  return {"--stagehand.log-level=off",
          "--stagehand.http-port=0",
          "--stagehand.data-dir=" + dir.path.string(),
          R"(--stagehand.api-keys=["k=alice", "r=root:admin"])",
          "--stagehand.delivery-secret=test-secret",
          "--stagehand.delivery-max-attempts=1",
          "--stagehand.callback-ca-file=" + pki.ca()};
}

/// Submits `sample_Echo` with an https callback to `url`.
std::string submit_with_callback(api_client& c, const std::string& url) {
  auto res
    = c.post("/api/data/v9.2/sample_Echo", R"({"Text": "hi"})",
             {{"Prefer", "respond-async, callback; url=\"" + url + "\""}});
  BOOST_REQUIRE_MESSAGE(res.status == 202u, res.status << " " << res.body);
  BOOST_CHECK_EQUAL(res.header("preference-applied"), "callback");
  return res.json().at("backgroundOperationId").get<std::string>();
}

} // namespace

BOOST_AUTO_TEST_SUITE(apps_serve_https)

BOOST_AUTO_TEST_CASE(an_https_callback_reaches_a_receiver_the_ca_signed) {
  temp_data_dir dir;
  test_pki pki;
  http_receiver receiver{pki.signed_by_ca()};
  serve_process server{options(dir, pki)};
  api_client alice{server.port(), "k"};
  auto id
    = submit_with_callback(alice, receiver.url_at("localhost", "/callback"));
  BOOST_REQUIRE_MESSAGE(receiver.wait_for_requests(1, wait_limit),
                        "no callback within " << wait_limit.count() << " ms");
  auto req = receiver.requests().at(0);
  BOOST_CHECK_EQUAL(req.target, "/callback");
  BOOST_CHECK_EQUAL(req.server_name, "localhost");
  BOOST_CHECK(!verify("test-secret", req.header("x-stagehand-timestamp"),
                      req.body, req.header("x-stagehand-signature"),
                      std::chrono::system_clock::now()));
  auto body = nlohmann::json::parse(req.body);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationId"), id);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(server.stop(SIGTERM), 0);
}

BOOST_AUTO_TEST_CASE(a_receiver_the_ca_did_not_sign_is_refused_and_recorded) {
  temp_data_dir dir;
  test_pki pki;
  http_receiver stranger{pki.self_signed()};
  serve_process server{options(dir, pki)};
  api_client alice{server.port(), "k"};
  auto url = stranger.url_at("localhost", "/callback");
  auto id = submit_with_callback(alice, url);
  BOOST_CHECK_EQUAL(kept_delivery_failure(*open_store(dir), id),
                    "callback " + url + ": Gave up after 1 attempt: POST to '"
                      + url
                      + "' failed: doing the TLS handshake: certificate "
                        "verify failed (self-signed certificate).");
  BOOST_CHECK(stranger.requests().empty());
  BOOST_CHECK_EQUAL(server.stop(SIGTERM), 0);
}

BOOST_AUTO_TEST_CASE(a_ca_file_that_cannot_be_read_stops_serve_by_name) {
  auto r = run_cli("--stagehand.callback-ca-file=/nonexistent/ca.pem serve");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_MESSAGE(
    r.err.find("--stagehand.callback-ca-file=/nonexistent/ca.pem: cannot "
               "load '/nonexistent/ca.pem': No such file or directory")
      != std::string::npos,
    r.err);
}

BOOST_AUTO_TEST_SUITE_END()
