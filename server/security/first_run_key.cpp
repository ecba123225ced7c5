#include "server/security/first_run_key.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <caf/sec.hpp>
#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/security/hex.hpp"

namespace stagehand {

namespace {

/// 256 bits: as hard to guess as the HMAC keys that sign deliveries.
constexpr std::size_t key_bytes = 32;

caf::error fail(const std::string& path, const std::string& why) {
  return caf::make_error(caf::sec::runtime_error,
                         "The admin key file '" + path + "' " + why + ".");
}

caf::expected<std::string> random_key(const std::string& path) {
  unsigned char bytes[key_bytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1)
    return fail(path, "cannot be made: OpenSSL has no random bytes");
  return to_hex({reinterpret_cast<const char*>(bytes), sizeof(bytes)});
}

/// Makes the file with mode 0600, failing with EEXIST if it is there.
caf::error create(const std::string& path, const std::string& key,
                  int& error_number) {
  auto fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                   S_IRUSR | S_IWUSR);
  if (fd < 0) {
    error_number = errno;
    return fail(path, std::string{"cannot be made: "} + std::strerror(errno));
  }
  // The umask may only take bits away, but a key must never gain any.
  auto line = key + "\n";
  auto ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0
            && ::write(fd, line.data(), line.size())
                 == static_cast<ssize_t>(line.size())
            && ::fsync(fd) == 0;
  auto saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return fail(path,
                std::string{"cannot be written: "} + std::strerror(saved));
  }
  return caf::none;
}

caf::expected<std::string> read(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return fail(path, std::string{"cannot be read: "} + std::strerror(errno));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return fail(path, "can be read by other users; run chmod 600 on it, or "
                      "delete it to make a new key");
  std::ifstream in{path};
  std::string key;
  if (!in || !std::getline(in, key))
    return fail(path, "cannot be read");
  if (key.size() != 2 * key_bytes
      || key.find_first_not_of("0123456789abcdef") != std::string::npos)
    return fail(path, "holds no key of 64 hex digits; delete it to make a "
                      "new one");
  return key;
}

} // namespace

std::string first_run_key::entry() const {
  return key + "=" + user + ":admin";
}

caf::expected<first_run_key>
first_run_key::load_or_create(const std::string& data_dir) {
  first_run_key result;
  result.path = (std::filesystem::path{data_dir} / file_name).string();
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return fail(result.path, "cannot be made: " + ec.message());
  auto key = random_key(result.path);
  if (!key)
    return std::move(key.error());
  int error_number = 0;
  auto err = create(result.path, *key, error_number);
  if (!err) {
    result.key = std::move(*key);
    result.created = true;
    return result;
  }
  if (error_number != EEXIST)
    return err;
  auto existing = read(result.path);
  if (!existing)
    return std::move(existing.error());
  result.key = std::move(*existing);
  return result;
}

} // namespace stagehand
