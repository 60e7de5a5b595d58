-- A wrk script: each thread cycles through the requests of a Lua file (the first script
-- argument), counts the statuses it gets and, at the end, prints one line "WRKJSON {...}"
-- with the statuses, the socket errors and the latency (microseconds) for the test to read.
-- Each request's text may hold the tag COUNTER, replaced by a number unique to the request,
-- so that no two queries are the same text (a result cache answers repeated ones).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  entries = dofile(args[1])
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  local entry = entries[(sent - 1) % #entries + 1]
  local tag = tostring(id) .. "0" .. tostring(sent)
  local path = (entry.path:gsub("COUNTER", tag))
  local body = entry.body and (entry.body:gsub("COUNTER", tag)) or nil
  return wrk.format(entry.method, path, entry.headers, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

local function object(pairs_of)
  local parts = {}
  for key, value in pairs(pairs_of) do
    table.insert(parts, string.format("%q:%d", key, math.floor(value)))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for key, value in pairs(thread:get("statuses")) do
      counts[key] = (counts[key] or 0) + value
    end
  end
  local errors = summary.errors
  print("WRKJSON {" ..
    string.format('"requests":%d,"duration_us":%d,"bytes":%d,', summary.requests,
      summary.duration, summary.bytes) ..
    '"statuses":' .. object(counts) .. "," ..
    '"errors":' .. object({connect = errors.connect, read = errors.read,
      write = errors.write, timeout = errors.timeout, status = errors.status}) .. "," ..
    '"latency_us":' .. object({min = latency.min, max = latency.max, mean = latency.mean,
      p50 = latency:percentile(50), p99 = latency:percentile(99)}) .. "}")
end
