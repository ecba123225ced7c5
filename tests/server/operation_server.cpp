// Tests what server/operation_server.hpp and the scheduler it runs log about
// an operation: an attempt's `attempt` is its number (1 for the first) and
// the session that runs it has a field of its own; an operation logs one line
// at info when it completes; and `serve`'s shutdown ends with
// `event=server_shutdown`.
#include <boost/test/unit_test.hpp>

#include <regex>

#include "tests/support/log_capture.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

struct logged_server : server_fixture {
  std::shared_ptr<capture_sink> sink = std::make_shared<capture_sink>();

  logged_server() {
    log = capture_logger(sink, spdlog::level::debug);
  }
};

/// The value of `key=` in `line`.
std::string field(const std::string& line, const std::string& key) {
  std::smatch m;
  BOOST_REQUIRE_MESSAGE(
    std::regex_search(line, m, std::regex{"(^| )" + key + "=([^ ]*)"}),
    "no " << key << " in " << line);
  return m[2];
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_operation_server, logged_server)

BOOST_AUTO_TEST_CASE(attempt_is_the_attempt_number_and_session_id_its_own) {
  start();
  auto c = client();
  // A first operation, so that session ids and attempt numbers differ.
  c.wait_terminal(c.submit("sample_Echo", "{}"));
  auto id = c.submit("sample_Flaky", R"({"FailTimes": 1})");
  auto done = c.wait_terminal(id);
  BOOST_REQUIRE_EQUAL(done.at("backgroundOperationStatusCode"), 30);
  auto started = sink->matching({"operation_id=" + id, "event=attempt_started"});
  BOOST_REQUIRE_MESSAGE(started.size() == 2u, sink->text());
  BOOST_CHECK_EQUAL(field(started[0], "attempt"), "1");
  BOOST_CHECK_EQUAL(field(started[1], "attempt"), "2");
  BOOST_CHECK_NE(field(started[0], "session_id"),
                 field(started[1], "session_id"));
  BOOST_CHECK(started[0].find("retry_count") == std::string::npos);
  auto completed = sink->matching({"operation_id=" + id, "event=completed"});
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(field(completed[0], "retry_count"), "1");
  // At info, the operation's life is its retry and its outcome.
  std::size_t at_info = 0;
  for (auto& line : sink->matching({"operation_id=" + id}))
    at_info += line.rfind("level=info ", 0) == 0;
  BOOST_CHECK_EQUAL(at_info, 2u);
}

BOOST_AUTO_TEST_CASE(serve_s_shutdown_is_a_server_shutdown) {
  start();
  server->shutdown();
  auto lines = sink->lines();
  BOOST_REQUIRE(!lines.empty());
  BOOST_CHECK_EQUAL(lines.back(), "level=info event=server_shutdown");
  BOOST_CHECK_EQUAL(sink->matching({"runtime_shutdown"}).size(), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
