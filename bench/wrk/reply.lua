-- Replies through the HTTP endpoint, one member per wrk thread (run with -tN -cN).
-- BENCH_REPLY_PATH: /t/<pk>/reply/
-- BENCH_REPLY_AUTH: "<cookie header>|<csrf token>" per member, comma-separated.
-- A reply that was taken answers 302 (to its floor); anything else is an error,
-- a 200 included (the form came back with an error).
local threads = {}
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

init = function(args)
  local entries = {}
  for entry in string.gmatch(os.getenv("BENCH_REPLY_AUTH"), "[^,]+") do
    table.insert(entries, entry)
  end
  local mine = entries[((id - 1) % #entries) + 1]
  local bar = string.find(mine, "|", 1, true)
  cookie = string.sub(mine, 1, bar - 1)
  csrf = string.sub(mine, bar + 1)
  path = os.getenv("BENCH_REPLY_PATH")
  n = 0
  ok = 0
  bad = 0
end

request = function()
  n = n + 1
  local body = "csrfmiddlewaretoken=" .. csrf ..
    "&body=Bench+reply+" .. id .. "-" .. n .. "-" .. os.time() ..
    "%3A+same+here%2C+the+battery+drains+overnight+since+the+update."
  return wrk.format("POST", path, {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = "http://127.0.0.1/",
  }, body)
end

response = function(status, headers, body)
  if status == 302 then ok = ok + 1 else bad = bad + 1 end
end

done = function(summary, latency, requests)
  local taken, refused = 0, 0
  for _, thread in ipairs(threads) do
    taken = taken + thread:get("ok")
    refused = refused + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"taken":%d,"refused":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, taken, refused))
end
