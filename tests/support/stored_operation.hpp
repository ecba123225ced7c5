#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/test/unit_test.hpp>

#include "server/operations/operation_store.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// The system database of a `stagehand serve` process running on `dir`,
/// opened beside it: what the server keeps but no public route shows, such
/// as a delivery failure, is read here (SQLite's WAL lets both use it).
inline std::unique_ptr<operation_store> open_store(const temp_data_dir& dir) {
  auto store = operation_store::open((dir.path / "system.db").string(),
                                     std::chrono::seconds(5), 1);
  BOOST_REQUIRE_MESSAGE(store, "cannot open the system database in "
                                 << dir.path.string());
  return std::move(*store);
}

/// The delivery failure that operation `id` keeps, once it has one.
inline std::string kept_delivery_failure(operation_store& store,
                                         const std::string& id) {
  std::string failure;
  require_eventually(
    [&] {
      auto rec = store.find(id);
      failure = rec ? rec->delivery_failure : std::string{};
      return !failure.empty();
    },
    "a delivery failure kept on operation " + id);
  return failure;
}

} // namespace stagehand::test
