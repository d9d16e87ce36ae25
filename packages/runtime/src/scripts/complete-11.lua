--[[
  Completes leased jobs, as many as finished in the same moment, and in the same call leases the
  worker its next jobs: a busy worker makes one round trip per batch of finished jobs, and at
  concurrency 1 one per job. Each completion is fenced: refused unless the caller still holds that
  job's lease token.

  The record expires after keepResultMs. The payload stays in the queue's `data` hash while the job
  is listed in `completed`, and goes with it when that index is trimmed (at most 100 per call, so
  the cost of a completion stays flat). Error and log lists get the same expiry only when they exist
  (fields `e`, `lg`); dependants and unique keys are settled only when the job has them (`ch`, `u`).

  KEYS[1] completed, KEYS[2] events,
  KEYS[3..11] as fetch-9.lua: delayed, active, marker, wait:0..4, fair
  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] how many jobs to fetch (0 = none),
  ARGV[5] promoteLimit, ARGV[6] weights, ARGV[7] limits, ARGV[8] token (as fetch-9.lua), ARGV[9] count,
  then per job 4 fields: id, token, result JSON, keepResultMs

  Returns { 1 or 0 per job (0: the lease was lost), then fetch-9.lua's reply }.
]]
-- @include on-job-ended.lua
-- @include fetch-jobs.lua
local base = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local count = tonumber(ARGV[9])
local nowText = tostring(now)
local out = {}
local trimKeep = nil

local done = {}
for i = 0, count - 1 do
  local o = 10 + i * 4
  local id = ARGV[o]
  local key = base .. "job:" .. id
  local f = redis.call("HMGET", key, "l", "wt", "e", "lg", "u", "ch")
  if f[1] ~= ARGV[o + 1] then
    out[#out + 1] = 0
  else
    local keep = ARGV[o + 3]
    redis.call("HSET", key, "s", "completed", "r", ARGV[o + 2], "fin", nowText, "l", "")
    redis.call("PEXPIRE", key, keep)
    if f[3] then redis.call("PEXPIRE", base .. "errors:" .. id, keep) end
    if f[4] then redis.call("PEXPIRE", base .. "logs:" .. id, keep) end
    trimKeep = trimKeep or tonumber(keep)
    if f[2] then redis.call("PUBLISH", KEYS[2], id) end
    if f[5] or f[6] then onJobEnded(base, id, "completed", now, f[5], f[6]) end
    done[#done + 1] = id
    out[#out + 1] = 1
  end
end
-- The indexes once for the whole batch (the caller sends at most a few hundred jobs per call).
if #done > 0 then
  redis.call("ZREM", KEYS[4], unpack(done))
  local scored = {}
  for i, id in ipairs(done) do scored[2 * i - 1] = nowText; scored[2 * i] = id end
  redis.call("ZADD", KEYS[1], unpack(scored))
  local expired = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now - trimKeep, "LIMIT", 0, 100)
  if #expired > 0 then
    redis.call("ZREM", KEYS[1], unpack(expired))
    redis.call("HDEL", base .. "data", unpack(expired))
  end
end

local want = tonumber(ARGV[4])
if want > 0 then
  local k = { delayed = KEYS[3], active = KEYS[4], marker = KEYS[5],
    wait = { [0] = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10] }, fair = KEYS[11] }
  for _, v in ipairs(fetchJobs(base, k, ARGV[2], tonumber(ARGV[3]), want, tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8], now)) do
    out[#out + 1] = v
  end
else
  out[#out + 1] = -1
end
return out
