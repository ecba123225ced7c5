// Tests server/admin/page_task_board.hpp: each parent session's running and
// queued page tasks, as the pages' events move them.
#include <boost/test/unit_test.hpp>

#include "server/admin/page_task_board.hpp"

using namespace stagehand;

namespace {

page_event event(page_event::kind what, session_id session, task_id task,
                 std::string node = {}) {
  page_event e;
  e.what = what;
  e.session = session;
  e.page = 10 + session;
  e.task.id = task;
  e.task.codeunit = 50100;
  e.task.tag = "price";
  e.node = std::move(node);
  return e;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_admin_page_task_board)

BOOST_AUTO_TEST_CASE(groups_running_and_queued_tasks_by_parent_session) {
  page_task_board board;
  auto tell = board.observer();
  using kind = page_event::kind;
  tell(event(kind::enqueued, 2, 1));
  tell(event(kind::enqueued, 2, 2));
  tell(event(kind::started, 2, 1, "local"));
  tell(event(kind::enqueued, 1, 1));
  tell(event(kind::started, 1, 1, "worker-a"));
  auto parents = board.parents();
  BOOST_REQUIRE_EQUAL(parents.size(), 2u);
  BOOST_CHECK_EQUAL(parents[0].id, 1u);
  BOOST_REQUIRE_EQUAL(parents[0].running.size(), 1u);
  BOOST_CHECK_EQUAL(parents[0].running[0].node, "worker-a");
  BOOST_CHECK(parents[0].queued.empty());
  BOOST_CHECK_EQUAL(parents[1].id, 2u);
  BOOST_REQUIRE_EQUAL(parents[1].running.size(), 1u);
  BOOST_CHECK_EQUAL(parents[1].running[0].id, 1u);
  BOOST_CHECK_EQUAL(parents[1].running[0].page, 12u);
  BOOST_REQUIRE_EQUAL(parents[1].queued.size(), 1u);
  BOOST_CHECK_EQUAL(parents[1].queued[0].id, 2u);
  BOOST_CHECK_EQUAL(parents[1].queued[0].tag, "price");
}

BOOST_AUTO_TEST_CASE(every_outcome_takes_the_task_off_the_board) {
  page_task_board board;
  auto tell = board.observer();
  using kind = page_event::kind;
  for (task_id t = 1; t <= 3; ++t)
    tell(event(kind::started, 1, t, "local"));
  tell(event(kind::completed, 1, 1));
  tell(event(kind::error, 1, 2));
  tell(event(kind::notification, 1, 3));
  auto parents = board.parents();
  BOOST_REQUIRE_EQUAL(parents.size(), 1u);
  BOOST_REQUIRE_EQUAL(parents[0].running.size(), 1u);
  BOOST_CHECK_EQUAL(parents[0].running[0].id, 3u);
  tell(event(kind::cancelled, 1, 3));
  BOOST_CHECK(board.parents().empty());
}

BOOST_AUTO_TEST_SUITE_END()
