#pragma once

#include <array>
#include <string_view>

namespace stagehand {

/// The integer that the operations table's `ErrorCode` column holds for an
/// error's name. Clients written from the platform's table read the code as
/// an Integer, while the runtime names its errors (`Dialog`,
/// `ChildSessionTaskTimeout`, ...); this is the one mapping between the two,
/// so that the poll answer, the callback and the table agree.
///
/// | name | number |
/// |---|---|
/// | none: the error did not come from the platform | 0 |
/// | `Dialog`, raised by the operation's own code | 1 |
/// | `ChildSessionTaskTimeout` | 2 |
/// | `ChildSessionNodeLost` | 3 |
/// | `BackgroundSessionTimeout` | 4 |
/// | any other name | 99 |
int error_number(std::string_view name) noexcept;

/// The number of a name that the table above does not list.
inline constexpr int unlisted_error_number = 99;

/// A row of the table above.
struct listed_error {
  std::string_view name;
  int number;
};

/// The table above, row by row, for what must write the same mapping in
/// another language: the SQL by which `$filter` compares `errorcode`.
const std::array<listed_error, 5>& listed_error_numbers() noexcept;

} // namespace stagehand
