// Tests server/operations/error_number.hpp: each error name the runtime
// raises has the number the docs give it, and no name is left without one.
#include <boost/test/unit_test.hpp>

#include "messages/task_error.hpp"
#include "server/operations/error_number.hpp"

using namespace stagehand;

BOOST_AUTO_TEST_SUITE(server_error_number)

BOOST_AUTO_TEST_CASE(each_name_has_its_documented_number) {
  BOOST_CHECK_EQUAL(error_number(""), 0);
  BOOST_CHECK_EQUAL(error_number(codeunit_error_code), 1);
  BOOST_CHECK_EQUAL(error_number(timeout_error_code), 2);
  BOOST_CHECK_EQUAL(error_number(node_lost_error_code), 3);
  BOOST_CHECK_EQUAL(error_number(session_timeout_error_code), 4);
}

BOOST_AUTO_TEST_CASE(a_name_the_table_does_not_list_is_99) {
  BOOST_CHECK_EQUAL(error_number("NDBCS:Deadlock"), unlisted_error_number);
  BOOST_CHECK_EQUAL(error_number("dialog"), unlisted_error_number);
}

BOOST_AUTO_TEST_SUITE_END()
