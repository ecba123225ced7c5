#include "services/work_placement.hpp"

#include "core/errc.hpp"
#include "services/codeunit_registry.hpp"
#include "services/node_table.hpp"

namespace stagehand {

caf::expected<placement> place_work(const services& svc, codeunit_id codeunit) {
  bool local_has = svc.codeunits->find(codeunit) != nullptr;
  if (svc.nodes)
    return svc.nodes->place(codeunit, local_has);
  if (!local_has)
    return make_error(errc::unknown_codeunit, caf::make_message(codeunit));
  return placement{};
}

bool can_place_work(const services& svc, codeunit_id codeunit) {
  bool local_has = svc.codeunits->find(codeunit) != nullptr;
  return svc.nodes ? svc.nodes->can_place(codeunit, local_has) : local_has;
}

} // namespace stagehand
