// The `stagehand` command: `demo` runs the seeds' Customer Card example,
// `play` replays a scenario, `serve` runs the background operations API.
// Options are CAF's and Stagehand's
// (`--stagehand.KEY=VALUE`, `--config-file=FILE`), before the command.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "apps/demo.hpp"
#include "apps/scenario_player.hpp"
#include "apps/serve.hpp"
#include "runtime/config.hpp"

namespace {

constexpr const char* usage
  = "usage: stagehand [--stagehand.KEY=VALUE ...] [--config-file=FILE] "
    "demo | play FILE|- | serve | help\n";

int play(stagehand::config& cfg, const std::string& file) {
  stagehand::apps::scenario_player player{cfg, std::cout, std::cerr};
  if (file == "-")
    return player.run(std::cin);
  std::ifstream in{file};
  if (!in) {
    std::cerr << "play: cannot open " << file << '\n';
    return 2;
  }
  return player.run(in);
}

} // namespace

int main(int argc, char** argv) {
  stagehand::config cfg;
  if (auto err = cfg.parse(argc, argv); err || (err = cfg.validate())) {
    std::cerr << "stagehand: " << cfg.render(err) << '\n' << usage;
    return 2;
  }
  if (cfg.cli_helptext_printed)
    return 0;
  const auto& args = cfg.remainder;
  if (args.empty() || args[0] == "help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "demo" && args.size() == 1)
    return stagehand::apps::run_demo(cfg, std::cout);
  if (args[0] == "play" && args.size() == 2)
    return play(cfg, args[1]);
  if (args[0] == "serve" && args.size() == 1)
    return stagehand::apps::run_serve(cfg, std::cout, std::cerr);
  std::cerr << "stagehand: unknown command line";
  for (auto& arg : args)
    std::cerr << ' ' << arg;
  std::cerr << '\n' << usage;
  return 2;
}
