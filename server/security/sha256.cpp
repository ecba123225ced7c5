#include "server/security/sha256.hpp"

#include <openssl/sha.h>

#include "server/security/hex.hpp"

namespace stagehand {

std::string sha256_hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return to_hex({reinterpret_cast<const char*>(digest), sizeof(digest)});
}

} // namespace stagehand
