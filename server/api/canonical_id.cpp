#include "server/api/canonical_id.hpp"

#include <cctype>

#include "server/http/query_string.hpp"

namespace stagehand {

std::string canonical_id(std::string given) {
  std::string id;
  if (!percent_decode(given, id, false))
    id = std::move(given);
  for (auto& c : id)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id;
}

} // namespace stagehand
