-- wrk script of the server benchmark (benches/server.rs): GETs the reservation lists of the
-- customers in DESK_CUSTOMERS (comma-separated IDs) in turn, thread i against the i-th port of
-- DESK_PORTS (comma-separated, all on 127.0.0.1), as the Admin agent; prints one WRK line.
local function split(text)
  local out = {}
  for item in string.gmatch(text or "", "[^,]+") do out[#out + 1] = item end
  return out
end

local threads = {}
local count = 0

function setup(thread)
  local ports = split(os.getenv("DESK_PORTS"))
  count = count + 1
  local port = ports[(count - 1) % #ports + 1]
  thread.addr = wrk.lookup("127.0.0.1", port)[1]
  thread:set("offset", count)
  threads[#threads + 1] = thread
end

local paths = {}
local next_path = 0

function init(args)
  for _, id in ipairs(split(os.getenv("DESK_CUSTOMERS"))) do
    paths[#paths + 1] = "/api/customers/" .. id .. "/reservations"
  end
  next_path = offset or 0
  wrk.headers["Authorization"] = "Bearer demo-admin-agent"
end

function request()
  next_path = next_path + 1
  return wrk.format("GET", paths[next_path % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
