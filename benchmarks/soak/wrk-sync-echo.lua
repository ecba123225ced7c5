-- wrk script of benchmarks/soak/wrk-run: synchronous Echo submits (no
-- `Prefer: respond-async`), so that each answer, a 200 with the outputs,
-- comes only once the scheduler has run the operation. The key comes from
-- the environment so that the script holds no secret.
local key = os.getenv("STAGEHAND_KEY") or error("STAGEHAND_KEY is not set")

local threads = 0

-- Each thread numbers its own submits from its own base, so that bodies
-- differ across threads as real submits would.
function setup(thread)
  thread:set("base", threads * 1000000000)
  threads = threads + 1
end

local n = 0
local headers = {
  ["Authorization"] = "Bearer " .. key,
  ["Content-Type"] = "application/json",
}

function request()
  n = n + 1
  local body = '{"Text":"wrk","Number":' .. (base + n) .. '}'
  return wrk.format("POST", "/api/data/v9.2/sample_Echo", headers, body)
end
