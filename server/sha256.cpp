#include "server/sha256.hpp"

#include <openssl/sha.h>

namespace stagehand {

std::string sha256_hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof(digest));
  for (auto byte : digest) {
    out += digits[byte >> 4];
    out += digits[byte & 0xF];
  }
  return out;
}

} // namespace stagehand
