// Tests server/admin/session_board.hpp: the background sessions that the
// admin page lists, as the runtime's notices move them.
#include <boost/test/unit_test.hpp>

#include "server/admin/session_board.hpp"

using namespace stagehand;

namespace {

session_notice notice(session_notice::kind what, session_id id,
                      std::string tag = "job") {
  session_notice n;
  n.what = what;
  n.session = id;
  n.tag = std::move(tag);
  n.codeunit = 50100;
  n.user = "alice";
  n.company = "CRONUS";
  return n;
}

session_notice ended(session_id id, session_outcome outcome) {
  auto n = notice(session_notice::kind::ended, id);
  n.outcome = std::move(outcome);
  return n;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_admin_session_board)

BOOST_AUTO_TEST_CASE(lists_queued_then_running_then_ended_newest_first) {
  session_board board;
  auto tell = board.observer();
  tell(notice(session_notice::kind::started, 1));
  tell(notice(session_notice::kind::queued, 2));
  tell(notice(session_notice::kind::started, 3));
  tell(ended(3, session_outcome::stopped("stopped by an admin")));
  tell(ended(1, session_outcome::completed({})));
  tell(notice(session_notice::kind::message, 2));
  auto rows = board.rows();
  BOOST_REQUIRE_EQUAL(rows.size(), 3u);
  BOOST_CHECK_EQUAL(rows[0].id, 2u);
  BOOST_CHECK_EQUAL(label(rows[0].now), "Queued");
  BOOST_CHECK_EQUAL(rows[0].user, "alice");
  BOOST_CHECK_EQUAL(rows[0].codeunit, 50100);
  BOOST_CHECK_EQUAL(rows[1].id, 1u);
  BOOST_CHECK_EQUAL(label(rows[1].now), "Completed");
  BOOST_CHECK_EQUAL(rows[2].id, 3u);
  BOOST_CHECK_EQUAL(label(rows[2].now), "Stopped");
  BOOST_CHECK_EQUAL(rows[2].comment, "stopped by an admin");
}

BOOST_AUTO_TEST_CASE(a_queued_session_that_starts_is_running_once) {
  session_board board;
  auto tell = board.observer();
  tell(notice(session_notice::kind::queued, 7));
  tell(notice(session_notice::kind::started, 7));
  auto rows = board.rows();
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  BOOST_CHECK_EQUAL(label(rows[0].now), "Running");
}

BOOST_AUTO_TEST_CASE(keeps_only_the_newest_ended_sessions) {
  session_board board{2};
  auto tell = board.observer();
  for (session_id id = 1; id <= 4; ++id) {
    tell(notice(session_notice::kind::started, id));
    tell(ended(id, session_outcome::timed_out(std::chrono::seconds(5))));
  }
  auto rows = board.rows();
  BOOST_REQUIRE_EQUAL(rows.size(), 2u);
  BOOST_CHECK_EQUAL(rows[0].id, 4u);
  BOOST_CHECK_EQUAL(rows[1].id, 3u);
  BOOST_CHECK_EQUAL(label(rows[0].now), "TimedOut");
}

BOOST_AUTO_TEST_SUITE_END()
