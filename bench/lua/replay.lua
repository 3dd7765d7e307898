-- The one wrk script behind every workload of bench/run.sh: it replays a request list, one request
-- a line, "<path>", "<path> <service auth token>" or "<path> <token> <JSON body without spaces>".
-- bench/run.sh sets, in the environment:
--   BENCH_REQUESTS  the list
--   BENCH_METHOD    GET (default) or POST
--   BENCH_BODY      the POST body, sent as application/json, for lines that carry none
--   BENCH_OFFSET    the line to start at (0-based): W4 carries on where the previous run stopped,
--                   so none of its fresh tokens is sent twice
-- Lines are used in order and wrap around at the end. done() prints one BENCH_RESULT line, with how
-- many lines were handed out, so the script can tell when W4 ran out of fresh tokens.
-- Run it with one wrk thread (-t1): the position in the list lives in the thread.

-- Globals, not locals: done() reads them from the thread with thread:get().
count = 0
used = 0

local requests = {}
local offset = 0

-- Runs in each thread before the clock starts, so building every request up front costs nothing
-- measured, and request() only picks the next one.
function init(args)
  local method = os.getenv("BENCH_METHOD") or "GET"
  local body = os.getenv("BENCH_BODY")
  if body == "" then
    body = nil
  end
  offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local path, token, line_body = line:match("^(%S+) ?(%S*) ?(%S*)$")
    local headers = {}
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    local request_body = body
    if line_body ~= "" then
      request_body = line_body
    end
    if request_body then
      headers["Content-Type"] = "application/json"
    end
    count = count + 1
    requests[count] = wrk.format(method, path, headers, request_body)
  end
end

function request()
  local next_request = requests[(offset + used) % count + 1]
  used = used + 1
  return next_request
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Status errors are wrk's "Non-2xx or 3xx responses"; socket errors are connect, read, write and
-- timeout errors. Latencies are in microseconds.
function done(summary, latency, _)
  local lines, handed_out = 0, 0
  for _, thread in ipairs(threads) do
    lines = thread:get("count")
    handed_out = handed_out + thread:get("used")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d lines=%d used=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    lines, handed_out))
end
