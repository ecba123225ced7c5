#include "tests/support/test_pki.hpp"

#include <fstream>

#include <boost/test/unit_test.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/deadline.hpp"

namespace stagehand::test {

namespace {

const std::vector<std::string> new_key{
  "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};

const std::string local_names = "DNS:localhost,IP:127.0.0.1";

} // namespace

test_pki::test_pki() {
  auto ca_args = new_key;
  ca_args.insert(ca_args.begin(), {"req", "-x509"});
  ca_args.insert(ca_args.end(), {"-days", "2", "-subj", "/CN=stagehand test CA",
                                 "-keyout", path("ca.key"), "-out", ca()});
  openssl(ca_args);
  make_signed("signed", local_names);
  make_signed("other", "DNS:other.test");
  auto self_args = new_key;
  self_args.insert(self_args.begin(), {"req", "-x509"});
  self_args.insert(self_args.end(),
                   {"-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=" + local_names, "-keyout",
                    self_signed().key, "-out", self_signed().certificate});
  openssl(self_args);
}

std::string test_pki::ca() const {
  return path("ca.pem");
}

tls_files test_pki::signed_by_ca() const {
  return {path("signed.pem"), path("signed.key")};
}

tls_files test_pki::self_signed() const {
  return {path("self.pem"), path("self.key")};
}

tls_files test_pki::other_host() const {
  return {path("other.pem"), path("other.key")};
}

std::string test_pki::path(const std::string& name) const {
  return (dir_.path / name).string();
}

void test_pki::openssl(std::vector<std::string> args) const {
  args.insert(args.begin(), {"/usr/bin/env", "openssl"});
  std::string line;
  for (const auto& arg : args)
    line += (line.empty() ? "" : " ") + arg;
  child_process proc{args};
  auto code = proc.wait_exit(wait_limit, line);
  BOOST_REQUIRE_MESSAGE(code == 0, line << " failed: " << proc.output());
}

void test_pki::make_signed(const std::string& name,
                           const std::string& alt_names) {
  auto request_args = new_key;
  request_args.insert(request_args.begin(), "req");
  request_args.insert(request_args.end(),
                      {"-subj", "/CN=" + name, "-keyout", path(name + ".key"),
                       "-out", path(name + ".csr")});
  openssl(request_args);
  std::ofstream{path(name + ".cnf")} << "subjectAltName=" << alt_names << '\n';
  openssl({"x509", "-req", "-days", "2", "-in", path(name + ".csr"), "-CA",
           ca(), "-CAkey", path("ca.key"), "-CAcreateserial", "-extfile",
           path(name + ".cnf"), "-out", path(name + ".pem")});
}

} // namespace stagehand::test
