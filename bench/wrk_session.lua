-- wrk script for bench/loadgen.py: rotate session cookies across requests,
-- count non-200 answers, and print the result as one JSON line.
--
--   wrk -t1 -c64 -d20s -s bench/wrk_session.lua http://127.0.0.1:PORT/home -- cookies.txt
--
-- The cookie file holds one session key per line; without one, requests
-- carry no cookie (the /healthz baseline).

local cookies = {}
local counter = 0
local bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  if path ~= nil and path ~= "" then
    for line in io.lines(path) do
      if line ~= "" then
        table.insert(cookies, line)
      end
    end
  end
  if #cookies > 0 then
    counter = math.random(1, #cookies)
  end
end

function request()
  if #cookies == 0 then
    return wrk.format("GET")
  end
  counter = counter % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = "sessionid=" .. cookies[counter] })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, thread in ipairs(threads) do
    non200 = non200 + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"non200": %d, "mean_us": %.1f, "max_us": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "p999_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, non200, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)
  ))
end
