// Tests samples/sample_operations.hpp: each shipped operation runs the sample
// codeunit of the same job, with the parameters the docs list.
#include <boost/test/unit_test.hpp>

#include "samples/sample_codeunits.hpp"
#include "samples/sample_operations.hpp"

using namespace stagehand;

BOOST_AUTO_TEST_SUITE(server_sample_operations)

BOOST_AUTO_TEST_CASE(each_operation_runs_its_sample_codeunit) {
  operation_registry registry;
  BOOST_REQUIRE(!register_sample_operations(registry));
  auto codeunit_of = [&](const std::string& name) -> codeunit_id {
    auto* def = registry.find(name);
    BOOST_REQUIRE_MESSAGE(def != nullptr, name << " is not registered");
    return def->codeunit;
  };
  BOOST_CHECK_EQUAL(codeunit_of("sample_Wait"),
                    samples::operation_wait_codeunit);
  BOOST_CHECK_EQUAL(codeunit_of("sample_Echo"),
                    samples::operation_echo_codeunit);
  BOOST_CHECK_EQUAL(codeunit_of("sample_Flaky"),
                    samples::operation_flaky_codeunit);
  BOOST_CHECK_EQUAL(codeunit_of("sample_BlockCustomers"),
                    samples::block_all_customers_codeunit);
  BOOST_CHECK(registry.find("sample_BlockCustomers")->parameters.empty());
}

BOOST_AUTO_TEST_SUITE_END()
