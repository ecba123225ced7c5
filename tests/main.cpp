// The one translation unit that defines Boost.Test's main, and CAF's test
// engine symbols that `caf/test/dsl.hpp` (the deterministic scheduler
// fixture) refers to. CAF's own runner stays disabled: Boost.Test runs.
#define BOOST_TEST_MODULE stagehand
#include <boost/test/unit_test.hpp>

#define CAF_TEST_NO_MAIN
#include <caf/test/unit_test_impl.hpp>
