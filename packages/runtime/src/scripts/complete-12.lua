--[[
  Completes a leased job and, in the same call, leases the worker its next jobs: at concurrency 1 a
  worker makes one round trip per job. Fenced: refused (returns { 0 }) unless the caller still holds
  the job's lease token; then nothing is fetched either.

  The record expires after keepResultMs. The payload stays in the queue's `data` hash while the job
  is listed in `completed`, and goes with it when that index is trimmed (at most 100 per call, so
  the cost of a completion stays flat). Error and log lists get the same expiry only when they exist
  (fields `e`, `lg`); dependants and unique keys are settled only when the job has them (`ch`, `u`).

  KEYS[1] completed, KEYS[2] events,
  KEYS[3..12] as fetch-10.lua: seq, delayed, active, marker, wait:0..4, fair
  ARGV[1] base, ARGV[2] id, ARGV[3] token, ARGV[4] result JSON, ARGV[5] keepResultMs,
  ARGV[6] workerId, ARGV[7] leaseMs, ARGV[8] how many jobs to fetch (0 = none),
  ARGV[9] promoteLimit, ARGV[10] weights, ARGV[11] limits (as fetch-10.lua)

  Returns { 1, then fetch-10.lua's reply } when completed (an empty fetch when ARGV[8] is 0).
]]
-- @include on-job-ended.lua
-- @include fetch-jobs.lua
local base = ARGV[1]
local id = ARGV[2]
local key = base .. "job:" .. id
local f = redis.call("HMGET", key, "l", "wt", "e", "lg", "u", "ch")
if f[1] ~= ARGV[3] then return { 0 } end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local keep = tonumber(ARGV[5])

redis.call("ZREM", KEYS[5], id)
redis.call("HSET", key, "s", "completed", "r", ARGV[4], "fin", now, "l", "")
redis.call("PEXPIRE", key, keep)
if f[3] then redis.call("PEXPIRE", base .. "errors:" .. id, keep) end
if f[4] then redis.call("PEXPIRE", base .. "logs:" .. id, keep) end
redis.call("ZADD", KEYS[1], now, id)
local expired = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now - keep, "LIMIT", 0, 100)
if #expired > 0 then
  redis.call("ZREM", KEYS[1], unpack(expired))
  redis.call("HDEL", base .. "data", unpack(expired))
end
if f[2] then redis.call("PUBLISH", KEYS[2], id) end
if f[5] or f[6] then onJobEnded(base, id, "completed", now, f[5], f[6]) end

local out = { 1 }
local want = tonumber(ARGV[8])
if want > 0 then
  local k = { seq = KEYS[3], delayed = KEYS[4], active = KEYS[5], marker = KEYS[6],
    wait = { [0] = KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11] }, fair = KEYS[12] }
  for _, v in ipairs(fetchJobs(base, k, ARGV[6], tonumber(ARGV[7]), want, tonumber(ARGV[9]), ARGV[10], ARGV[11], now)) do
    out[#out + 1] = v
  end
else
  out[2] = -1
end
return out
