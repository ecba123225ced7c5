#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "data/company.hpp"
#include "data/table_catalog.hpp"

namespace stagehand {

/// The demo company. Like Business Central's CRONUS it exists out of the
/// box: opening it creates its file in the data directory on first use, so a
/// new user's first data scenario works without an administrator step.
inline constexpr const char* demo_company = "CRONUS";

/// The companies under one data directory, `<data-dir>/<name>.db` each.
/// Opening creates no file except the demo company's, so a mistyped company
/// is an error rather than a new empty database; an administrator creates
/// the others explicitly.
class company_directory {
public:
  /// Every read-write connection to a company commits as `synchronous`
  /// says.
  company_directory(std::string data_dir,
                    std::shared_ptr<const table_catalog> catalog,
                    std::size_t pool_size, caf::timespan busy_timeout,
                    synchronous_mode synchronous = synchronous_mode::normal);

  /// `OpenCompany`: the company, its missing tables created on first open;
  /// the demo company's file too.
  caf::expected<std::shared_ptr<company>> open(const std::string& name);

  /// Creates the company's file (WAL mode, all catalog tables) if missing,
  /// then opens it.
  caf::expected<std::shared_ptr<company>> create(const std::string& name);

  std::string path_of(const std::string& name) const;

  /// `open(name)`, then a fresh read-write connection to it.
  caf::expected<std::unique_ptr<database>> open_writer(const std::string& name);

  /// The companies opened so far.
  std::vector<std::string> open_names();

private:
  caf::expected<std::shared_ptr<company>> open_file(const std::string& name,
                                                    bool create);

  std::string data_dir_;
  std::shared_ptr<const table_catalog> catalog_;
  std::size_t pool_size_;
  caf::timespan busy_timeout_;
  synchronous_mode synchronous_;
  std::mutex mtx_;
  std::map<std::string, std::shared_ptr<company>> open_;
};

} // namespace stagehand
