#pragma once

#include <memory>

#include <boost/test/unit_test.hpp>

#include "data/company_directory.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// Company CRONUS in a data directory of its own, and fresh writers on it:
/// what the data layer's tests start from.
struct company_fixture {
  temp_data_dir dir;
  std::shared_ptr<company_directory> companies = dir.directory();
  std::shared_ptr<company> cronus = *companies->create("CRONUS");

  std::unique_ptr<database> writer() {
    auto db = cronus->open_writer();
    BOOST_REQUIRE(db);
    return std::move(*db);
  }
};

} // namespace stagehand::test
