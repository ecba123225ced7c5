#include "samples/sample_codeunits.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

#include "messages/attempt_parameter.hpp"

namespace stagehand::samples {

namespace {

/// Parses a whole, non-negative number (of milliseconds, times, ...).
bool parse_whole(const dictionary& params, const char* key, long long& out) {
  auto i = params.find(key);
  if (i == params.end() || i->second.empty())
    return false;
  std::size_t used = 0;
  try {
    out = std::stoll(i->second, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == i->second.size() && out >= 0;
}

/// Wall-clock time as the seed's example shows it, with milliseconds.
std::string now_text() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03d", buf, static_cast<int>(ms));
  return out;
}

/// True if `text` is a whole number, however long.
bool all_digits(const std::string& text) {
  return !text.empty()
         && std::all_of(text.begin(), text.end(), [](unsigned char c) {
              return std::isdigit(c) != 0;
            });
}

void wait_run(codeunit_context& ctx) {
  long long ms = 0;
  auto parsed = parse_whole(ctx.parameters(), "Wait", ms);
  auto given = ctx.parameters().find("Wait");
  if (!parsed
      && (given == ctx.parameters().end() || !all_digits(given->second)))
    throw codeunit_error{"Could not parse parameter WaitParam"};
  if (!parsed || ms > max_wait_ms)
    throw codeunit_error{"Wait must be at most " + std::to_string(max_wait_ms)
                         + " ms (one day); got " + given->second + "."};
  auto started = now_text();
  ctx.sleep(std::chrono::milliseconds(ms));
  ctx.set_result({{"started", started},
                  {"waited", std::to_string(ms)},
                  {"finished", now_text()}});
}

void fail_run(codeunit_context& ctx) {
  auto i = ctx.parameters().find("Message");
  throw codeunit_error{i != ctx.parameters().end() ? i->second
                                                   : "PBTFailCodeunit failed."};
}

void spin_run(codeunit_context& ctx) {
  long long ms = 0;
  if (!parse_whole(ctx.parameters(), "Ms", ms))
    throw codeunit_error{"Could not parse parameter Ms"};
  // Deliberately ignores cancellation: it models CPU-bound work that never
  // checks, which the runtime must time out without waiting for it.
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  volatile std::uint64_t sink = 0;
  while (std::chrono::steady_clock::now() < until)
    for (int i = 0; i < 1000; ++i)
      sink = sink + static_cast<std::uint64_t>(i);
  ctx.set_result({{"spun", std::to_string(ms)}});
}

void insert_run(codeunit_context& ctx) {
  ctx.db().query("INSERT INTO PBTData (Id, IntA) VALUES (?, ?)",
                 {std::string{"R1"}, std::int64_t{1}});
  ctx.set_result({{"inserted", "1"}});
}

/// Evaluates `text` into a Code[10] as AL's `Evaluate` does: leading and
/// trailing spaces go and letters are upper-cased, ASCII only, as the PBTData
/// table's triggers store its key; false if more than 10 characters (UTF-8
/// code points, as SQLite counts them) remain.
bool evaluate_code10(const std::string& text, std::string& code) {
  auto first = text.find_first_not_of(' ');
  auto last = text.find_last_not_of(' ');
  code = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  std::size_t chars = 0;
  for (auto& c : code) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++chars;
    if (static_cast<unsigned char>(c) < 0x80)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return chars <= 10;
}

void sum_run(codeunit_context& ctx) {
  auto i = ctx.parameters().find("RecId");
  std::string id;
  if (i == ctx.parameters().end() || !evaluate_code10(i->second, id))
    throw codeunit_error{"RecId could not be parsed."};
  auto rows = ctx.db().query("SELECT IntA + IntB + IntC, TextA || '-' || TextB "
                             "FROM PBTData WHERE Id = ?",
                             {id});
  if (rows.empty())
    throw codeunit_error{"PBTData record ID " + id + " was not found."};
  ctx.set_result({{"Sum", std::to_string(std::get<std::int64_t>(rows[0][0]))},
                  {"Concat", std::get<std::string>(rows[0][1])}});
}

void empty_run(codeunit_context& ctx) {
  ctx.set_result({{"ok", "1"}});
}

void budget_run(codeunit_context& ctx) {
  auto left = ctx.remaining();
  ctx.set_result(
    {{"RemainingMs",
      left == caf::timespan::max()
        ? "none"
        : std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(left)
            .count())}});
}

void block_all_customers_run(codeunit_context& ctx) {
  auto changed = ctx.db().query(
    "UPDATE Customer SET Blocked = 1 WHERE Blocked = 0 RETURNING 1");
  ctx.message(std::to_string(changed.size()) + " customers blocked.");
  long long ms = 0;
  if (parse_whole(ctx.parameters(), "Wait", ms))
    ctx.sleep(std::chrono::milliseconds(ms));
  ctx.set_result({{"Blocked", std::to_string(changed.size())}});
}

void echo_run(codeunit_context& ctx) {
  auto results = ctx.parameters();
  results.erase(attempt_parameter);
  ctx.set_result(std::move(results));
}

void flaky_run(codeunit_context& ctx) {
  long long fail_times = 0;
  long long attempt = 0;
  if (!parse_whole(ctx.parameters(), "FailTimes", fail_times))
    throw codeunit_error{"Could not parse parameter FailTimes"};
  if (!parse_whole(ctx.parameters(), attempt_parameter, attempt))
    attempt = 0;
  if (attempt < fail_times)
    throw codeunit_error{"Attempt " + std::to_string(attempt + 1)
                         + " failed on purpose."};
  ctx.set_result({{"attempts", std::to_string(attempt + 1)}});
}

} // namespace

caf::error register_sample_codeunits(codeunit_registry& registry) {
  struct entry {
    codeunit_id id;
    const char* name;
    codeunit_fn run;
  };
  for (auto& e :
       {entry{wait_codeunit, "PBTWaitCodeunit", wait_run},
        entry{fail_codeunit, "PBTFailCodeunit", fail_run},
        entry{insert_codeunit, "PBTInsertCodeunit", insert_run},
        entry{sum_codeunit, "PBTSumCodeunit", sum_run},
        entry{spin_codeunit, "PBTSpinCodeunit", spin_run},
        entry{empty_codeunit, "PBTEmptyCodeunit", empty_run},
        entry{budget_codeunit, "PBTBudgetCodeunit", budget_run},
        entry{block_all_customers_codeunit, "BlockAllCustomers",
              block_all_customers_run},
        entry{operation_wait_codeunit, "OpWaitCodeunit", wait_run},
        entry{operation_echo_codeunit, "OpEchoCodeunit", echo_run},
        entry{operation_flaky_codeunit, "OpFlakyCodeunit", flaky_run}})
    if (auto err = registry.add(e.id, e.name, e.run))
      return err;
  return caf::none;
}

} // namespace stagehand::samples
