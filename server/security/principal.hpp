#pragma once

#include <string>

namespace stagehand {

/// Who sent a request, as its bearer key says: the user its operations run
/// as, and whether it may see and cancel everyone's.
struct principal {
  std::string user;
  bool admin = false;
};

} // namespace stagehand
