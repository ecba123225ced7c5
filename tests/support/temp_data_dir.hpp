#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "data/company_directory.hpp"
#include "data/table_catalog.hpp"

namespace stagehand::test {

/// A data directory of its own for one test, removed with everything in it
/// when the test ends.
struct temp_data_dir {
  std::filesystem::path path;
  std::shared_ptr<const table_catalog> catalog
    = std::make_shared<const table_catalog>(table_catalog::standard());

  temp_data_dir() {
    static std::atomic<int> next{0};
    path = std::filesystem::temp_directory_path()
           / ("stagehand-db-" + std::to_string(::getpid()) + "-"
              + std::to_string(next++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }

  ~temp_data_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }

  std::shared_ptr<company_directory>
  directory(std::size_t pool_size = 4,
            caf::timespan busy_timeout = std::chrono::seconds(10),
            synchronous_mode synchronous = synchronous_mode::normal) const {
    return std::make_shared<company_directory>(
      path.string(), catalog, pool_size, busy_timeout, synchronous);
  }
};

} // namespace stagehand::test
