#include "data/company_directory.hpp"

#include <filesystem>

#include <caf/message_builder.hpp>
#include <caf/make_message.hpp>

#include "core/errc.hpp"

namespace stagehand {

namespace {

/// Company names become file names; anything that could leave the data
/// directory is refused as unknown.
bool valid_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..")
    return false;
  for (auto c : name)
    if (c == '/' || c == '\\' || c == '\0')
      return false;
  return true;
}

} // namespace

company_directory::company_directory(
  std::string data_dir, std::shared_ptr<const table_catalog> catalog,
  std::size_t pool_size, caf::timespan busy_timeout,
  synchronous_mode synchronous)
  : data_dir_(std::move(data_dir)), catalog_(std::move(catalog)),
    pool_size_(pool_size), busy_timeout_(busy_timeout),
    synchronous_(synchronous) {}

std::string company_directory::path_of(const std::string& name) const {
  return (std::filesystem::path{data_dir_} / (name + ".db")).string();
}

caf::expected<std::shared_ptr<company>>
company_directory::open(const std::string& name) {
  return open_file(name, name == demo_company);
}

caf::expected<std::shared_ptr<company>>
company_directory::create(const std::string& name) {
  return open_file(name, true);
}

caf::expected<std::shared_ptr<company>>
company_directory::open_file(const std::string& name, bool create) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto i = open_.find(name); i != open_.end())
    return i->second;
  auto path = path_of(name);
  std::error_code ec;
  if (!valid_name(name) || (!create && !std::filesystem::exists(path, ec)))
    return make_error(errc::unknown_company, caf::make_message(name, path));
  auto fail = [&](const std::string& why) {
    return make_error(errc::company_unreadable,
                      caf::make_message(name, path, why));
  };
  if (create)
    std::filesystem::create_directories(data_dir_, ec);
  auto db = database::open(path, access_mode::read_write, catalog_,
                           busy_timeout_, create, synchronous_);
  if (!db) {
    auto& ctx = db.error().context();
    return fail(ctx.match_elements<std::string, std::string, std::string>()
                  ? ctx.get_as<std::string>(2)
                  : describe(db.error()));
  }
  // WAL lets readers keep their snapshot while a writer commits; it is a
  // property of the file, so setting it once here covers every connection.
  try {
    (*db)->query("PRAGMA journal_mode=WAL");
    for (auto& table : catalog_->tables()) {
      if (table.upgrade)
        table.upgrade(**db, table);
      (*db)->execute_script(table.create_script());
    }
  } catch (const database_error& e) {
    return fail(e.what());
  }
  auto result = std::make_shared<company>(name, path, catalog_, pool_size_,
                                          busy_timeout_, synchronous_);
  open_.emplace(name, result);
  return result;
}

std::vector<std::string> company_directory::open_names() {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<std::string> names;
  for (auto& [name, company] : open_)
    names.push_back(name);
  return names;
}

caf::expected<std::unique_ptr<database>>
company_directory::open_writer(const std::string& name) {
  auto found = open(name);
  if (!found)
    return found.error();
  return (*found)->open_writer();
}

} // namespace stagehand
