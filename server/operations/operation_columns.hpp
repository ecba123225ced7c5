#pragma once

#include <vector>

#include "server/odata/entity_column.hpp"

namespace stagehand {

/// The columns of the `backgroundoperations` entity set that `$filter` may
/// use, by logical name, each with the column of the operations table that
/// holds it: the codes, the times, the retry count, the texts and the
/// parameters; `errorcode`, stored as the error's name, is an expression
/// giving its number. The one place that maps the article's names to ours.
const std::vector<entity_column>& operation_filter_columns();

} // namespace stagehand
