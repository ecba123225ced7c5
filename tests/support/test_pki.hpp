#pragma once

#include <string>
#include <vector>

#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// A certificate and its private key, as PEM files.
struct tls_files {
  std::string certificate;
  std::string key;
};

/// Throwaway certificates for tests of https deliveries, made with the
/// `openssl` command in a temp dir that goes with this object: a test CA,
/// and three server certificates (P-256 keys, valid two days):
///
/// - `signed_by_ca`: for `localhost` and 127.0.0.1, signed by the CA;
/// - `self_signed`: for the same names, signed by no one the CA knows;
/// - `other_host`: signed by the CA, for `other.test` only.
///
/// Made at test time rather than kept in the tree, so that none expires and
/// no private key is committed.
class test_pki {
public:
  test_pki();

  /// The test CA's certificate: the `callback-ca-file` of the tests.
  std::string ca() const;

  tls_files signed_by_ca() const;
  tls_files self_signed() const;
  tls_files other_host() const;

private:
  std::string path(const std::string& name) const;

  /// Runs `openssl` with `args`; fails the test with its output unless it
  /// ends well within the test's wait limit.
  void openssl(std::vector<std::string> args) const;

  /// A key and a certificate request for `name`, signed by the CA with the
  /// subject alternative names `alt_names` ("DNS:localhost,IP:127.0.0.1").
  void make_signed(const std::string& name, const std::string& alt_names);

  temp_data_dir dir_;
};

} // namespace stagehand::test
