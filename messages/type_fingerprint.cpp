#include "messages/type_fingerprint.hpp"

#include <cstdint>
#include <cstdio>
#include <set>

namespace stagehand {

std::string message_types_fingerprint(const caf::actor_system_config& cfg) {
  std::set<std::string> names;
  for (auto& entry : cfg.value_factories_by_name)
    if (entry.first.compare(0, 11, "stagehand::") == 0)
      names.insert(entry.first);
  std::uint64_t hash = 14695981039346656037ull;
  for (auto& name : names) {
    for (unsigned char c : name + '\n') {
      hash ^= c;
      hash *= 1099511628211ull;
    }
  }
  char text[40];
  std::snprintf(text, sizeof(text), "%zu-%016llx", names.size(),
                static_cast<unsigned long long>(hash));
  return text;
}

} // namespace stagehand
