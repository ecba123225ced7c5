// A child session that performs one point read: PBTSumCodeunit reading one
// PBTData record from a real company file, one task after another, measured
// from enqueue to the completion trigger.
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

std::string point_read_data_dir() {
  return (std::filesystem::temp_directory_path()
          / ("stagehand-bench-point-read-" + std::to_string(::getpid())))
    .string();
}

std::vector<double> point_read_stagehand(std::int64_t reads) {
  auto dir = point_read_data_dir();
  config cfg;
  cfg.data_dir = dir;
  std::vector<double> result;
  {
    auto rt = make_runtime(cfg);
    auto admin = rt->open_admin_connection("CRONUS");
    if (!admin)
      throw std::runtime_error{describe(admin.error())};
    (*admin)->query("INSERT OR REPLACE INTO PBTData VALUES ('R1', 1, 2, 3, "
                    "'a', 'b')");
    auto session = rt->open_session(client_type::web_client, "CRONUS");
    if (!session)
      throw std::runtime_error{describe(session.error())};
    // A failing read would be measured as fast; check one first.
    auto page = rt->open_page(*session, "PBTDATA R1");
    auto once = rt->run_page_background_task(page, samples::sum_codeunit,
                                             {{"RecId", "R1"}});
    if (!once || once->at("Sum") != "6")
      throw std::runtime_error{"point_read: PBTSumCodeunit did not read"};
    rt->close_page(page);
    auto done = std::make_shared<latch>(reads);
    sample_set latencies;
    enqueue_task read{samples::sum_codeunit, {{"RecId", "R1"}},
                      caf::none, error_level::error, ""};
    rt->open_page(*session, "PBTDATA R1",
                  std::make_shared<refill_page>(read, 1,
                                                std::make_shared<budget>(reads),
                                                done, &latencies));
    done->wait();
    result = latencies.take();
  }
  std::filesystem::remove_all(dir);
  return result;
}

} // namespace stagehand::bench
