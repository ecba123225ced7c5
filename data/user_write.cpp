#include "data/user_write.hpp"

#include <caf/make_message.hpp>

#include "messages/task_error.hpp"
#include "core/errc.hpp"

namespace stagehand {

caf::expected<void> run_user_write(company_directory& companies,
                                   const std::string& company,
                                   const std::function<void(database&)>& work) {
  auto db = companies.open_writer(company);
  if (!db)
    return db.error();
  try {
    (*db)->begin();
    work(**db);
    (*db)->commit();
  } catch (const std::exception& e) {
    (*db)->rollback();
    return make_error(errc::task_failed,
                      caf::make_message(std::string{codeunit_error_code},
                                        std::string{e.what()}));
  }
  return caf::unit;
}

} // namespace stagehand
