#include "server/operations/entity_query.hpp"

namespace stagehand {

entity_query::position
entity_query::position_of(const operation_record& rec) const {
  auto key = order == order_by::end_time ? rec.end_time.value_or(unfinished)
                                         : rec.created_on;
  return {key, rec.seq};
}

} // namespace stagehand
