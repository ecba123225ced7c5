// The `stagehand` command: `demo` runs the seeds' Customer Card example,
// `play` replays a scenario, `serve` runs the background operations API,
// `worker` joins a coordinator, `config` prints the settings in effect,
// `help` explains all of them.
// Options are CAF's and Stagehand's
// (`--stagehand.KEY=VALUE`, `--config-file=FILE`), before the command.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "apps/demo.hpp"
#include "apps/scenario_player.hpp"
#include "apps/serve.hpp"
#include "apps/worker_command.hpp"
#include "server/serve_config.hpp"

namespace {

struct command {
  const char* name;
  const char* synopsis;
  const char* meaning;
};

constexpr command commands[] = {
  {"demo", "demo",
   "run the Customer Card example: a task that completes, one that times out"},
  {"play", "play FILE|-",
   "replay a scenario (JSON Lines) and print its events as JSON Lines"},
  {"serve", "serve",
   "run the background operations HTTP API (docs/operations.md)"},
  {"worker", "worker HOST:PORT",
   "join the coordinator at HOST:PORT and run work for it (docs/cluster.md)"},
  {"config", "config",
   "print the configuration in effect, defaults included, as an INI file"},
  {"help", "help [COMMAND]", "print this text, or one command's usage"},
};

std::string help_text(const stagehand::config& cfg) {
  std::string out = "usage: stagehand [OPTION ...] COMMAND\n\ncommands:\n";
  for (auto& cmd : commands) {
    std::string synopsis = cmd.synopsis;
    synopsis.resize(std::max<std::size_t>(16, synopsis.size() + 2), ' ');
    out += "  " + synopsis + cmd.meaning + "\n";
  }
  out += "\noptions, before the command:\n"
         "  --stagehand.KEY=VALUE  set a key below, e.g. "
         "--stagehand.log-level=debug\n"
         "  --config-file=FILE     read the keys from FILE (INI) instead of\n"
         "                         ./caf-application.ini (used if present)\n"
         "  --long-help            also list CAF's own options (scheduler, "
         "logger, ...)\n"
         "\nkeys with their defaults (docs/configuration.md has the details):"
         "\n";
  return out + cfg.settings_text(false);
}

/// `help COMMAND` and a command called wrongly: its usage.
std::string usage_of(const std::string& name) {
  if (name == "play")
    return stagehand::apps::scenario_player::usage();
  for (auto& cmd : commands)
    if (name == cmd.name)
      return std::string{"usage: stagehand [OPTION ...] "} + cmd.synopsis
             + "\n  " + cmd.meaning + "\n";
  return {};
}

int play(stagehand::config& cfg, const std::string& file) {
  // `start_worker` may make the player a coordinator at any line, and the
  // middleman must be loaded before the actor system exists.
  cfg.enable_cluster();
  stagehand::apps::scenario_player player{cfg, std::cout, std::cerr};
  if (file == "-")
    return player.run(std::cin);
  std::ifstream in{file};
  if (!in) {
    std::cerr << "play: cannot open " << file << ": " << std::strerror(errno)
              << '\n';
    return 2;
  }
  return player.run(in);
}

bool is_help(const std::string& arg) {
  return arg == "--help" || arg == "-h" || arg == "-?";
}

} // namespace

int main(int argc, char** argv) {
  // CAF's --help lists only CAF's options and --dump-config leaves out the
  // defaults; ours answer both before CAF sees them.
  std::vector<char*> kept{argv, argv + argc};
  auto dump_config = false;
  auto wants_help = false;
  for (auto i = kept.begin() + 1; i != kept.end() && **i == '-';) {
    if (is_help(*i))
      wants_help = true;
    if (std::strcmp(*i, "--dump-config") == 0) {
      dump_config = true;
      i = kept.erase(i);
    } else {
      ++i;
    }
  }
  stagehand::serve_config cfg;
  if (wants_help) {
    std::cout << help_text(cfg);
    return 0;
  }
  if (auto err = cfg.parse(static_cast<int>(kept.size()), kept.data());
      err || (err = cfg.validate())) {
    auto text = stagehand::config::render(err);
    std::cerr << "stagehand: " << text << '\n';
    if (text.find("stagehand help") == std::string::npos)
      std::cerr << "('stagehand help' lists the commands and keys)\n";
    return 2;
  }
  if (cfg.cli_helptext_printed)
    return 0;
  const auto& args = cfg.remainder;
  if (dump_config || (args.size() == 1 && args[0] == "config")) {
    std::cout << cfg.settings_text(true);
    return 0;
  }
  if (args.empty()) {
    std::cerr << help_text(cfg);
    return 2;
  }
  if (args[0] == "help" && args.size() <= 2) {
    auto text = args.size() == 1 ? help_text(cfg) : usage_of(args[1]);
    if (text.empty()) {
      std::cerr << "stagehand: no command '" << args[1] << "'\n"
                << help_text(cfg);
      return 2;
    }
    std::cout << text;
    return 0;
  }
  if (args[0] == "demo" && args.size() == 1)
    return stagehand::apps::run_demo(cfg, std::cout);
  if (args[0] == "play" && args.size() == 2)
    return play(cfg, args[1]);
  if (args[0] == "worker" && args.size() == 2)
    return stagehand::apps::run_worker(cfg, args[1], std::cout, std::cerr);
  if (args[0] == "serve" && args.size() == 1)
    return stagehand::apps::run_serve(cfg, std::cout, std::cerr);
  if (auto usage = usage_of(args[0]); !usage.empty()) {
    std::cerr << usage; // a known command with the wrong arguments
    return 2;
  }
  std::cerr << "stagehand: unknown command '" << args[0] << "'\n"
            << help_text(cfg);
  return 2;
}
