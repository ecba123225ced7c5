// Demonstrates background sessions: a user's session starts the seed's
// BlockAllCustomers codeunit (50110) with StartSession, learns how it ended,
// and stops a second, slower one whose transaction then rolls back. The
// company file lives in a fresh temporary directory. Run it as
// build/example_block_customers.
#include <filesystem>
#include <iostream>

#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  stagehand::config cfg;
  if (auto err = cfg.parse(argc, argv)) {
    std::cerr << cfg.render(err) << '\n';
    return 1;
  }
  auto dir = fs::temp_directory_path() / "stagehand-block-customers";
  fs::remove_all(dir);
  cfg.data_dir = dir.string();
  cfg.log_level = "off";
  stagehand::runtime rt{cfg};
  stagehand::samples::register_sample_codeunits(rt.codeunits());
  auto admin = rt.open_admin_connection("CRONUS");
  (*admin)->query("INSERT INTO Customer (\"No.\", Name) VALUES ('10000', "
                  "'Adatum'), ('20000', 'Trey Research')");
  auto user = rt.open_session(stagehand::client_type::web_client, "CRONUS",
                              "ALICE");
  if (!user) {
    std::cerr << stagehand::describe(user.error()) << '\n';
    return 1;
  }
  stagehand::start_session request;
  request.codeunit = stagehand::samples::block_all_customers_codeunit;
  auto id = rt.start_session(*user, request);
  if (!id) {
    std::cerr << "StartSession failed: " << stagehand::describe(id.error())
              << '\n';
    return 1;
  }
  auto outcome = rt.wait_session(*id);
  std::cout << "session " << *id << ": " << to_string(outcome->what)
            << ", blocked " << outcome->results["Blocked"] << " customers\n";
  // A second run that would sleep a minute inside its transaction.
  (*admin)->query("UPDATE Customer SET Blocked = 0");
  request.parameters = {{"Wait", "60000"}};
  auto slow = rt.start_session(*user, request);
  // Queued or running, it ends stopped; running, it rolls back its update.
  rt.stop_session(*slow, "Not tonight.");
  auto stopped = rt.wait_session(*slow);
  std::cout << "session " << *slow << ": " << to_string(stopped->what) << " ("
            << stopped->comment << ")\n";
  auto blocked = (*admin)->query("SELECT count(*) FROM Customer WHERE Blocked = 1");
  std::cout << "customers blocked now: " << std::get<std::int64_t>(blocked[0][0])
            << '\n';
  rt.close_session(*user);
  fs::remove_all(dir);
}
