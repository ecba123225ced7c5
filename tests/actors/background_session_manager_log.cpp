// Tests what actors/background_session_manager.hpp logs when a session ends:
// the outcome, and its comment after a colon only when there is one; a
// session that completed at debug, one that failed at info.
#include <boost/test/unit_test.hpp>

#include "actors/background_session_manager.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

struct logged_manager : actor_fixture {
  temp_data_dir data;
  std::shared_ptr<capture_sink> sink = std::make_shared<capture_sink>();
  background_session_manager_actor manager;

  logged_manager() {
    svc_data->log = capture_logger(sink, spdlog::level::debug);
    svc_data->companies = data.directory();
    BOOST_REQUIRE(svc_data->companies->create("CRONUS"));
    manager = sys.spawn(background_session_manager, svc);
    sched.run();
  }

  ~logged_manager() override {
    self->send(manager, shutdown_atom::value);
    sched.run();
    exec->run_all();
    sched.run();
  }

  /// Runs `codeunit` as a background session to its end; returns the line
  /// that logged the end.
  std::string ended_line(codeunit_id codeunit, dictionary params) {
    start_session req;
    req.codeunit = codeunit;
    req.parameters = std::move(params);
    auto id = ask<session_id>(manager, launch_session{std::move(req), "ALICE"});
    BOOST_REQUIRE(id);
    run_codeunits();
    auto lines = sink->matching({"session_id=" + std::to_string(*id) + " ",
                                 "event=ended"});
    BOOST_REQUIRE_MESSAGE(lines.size() == 1u, sink->text());
    return lines.front();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_background_session_manager_log, logged_manager)

BOOST_AUTO_TEST_CASE(a_completed_session_ends_without_a_dangling_colon) {
  auto line = ended_line(echo_codeunit, {{"A", "1"}});
  BOOST_CHECK_MESSAGE(line.find("detail=\"completed\"") != std::string::npos,
                      line);
  BOOST_CHECK_EQUAL(line.rfind("level=debug ", 0), 0u);
}

BOOST_AUTO_TEST_CASE(a_failed_session_ends_with_its_error_at_info) {
  auto line = ended_line(failing_codeunit, {{"Message", "Out of paper."}});
  BOOST_CHECK_MESSAGE(line.find("detail=\"failed: Out of paper.\"")
                        != std::string::npos,
                      line);
  BOOST_CHECK_EQUAL(line.rfind("level=info ", 0), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
