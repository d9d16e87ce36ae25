--[[
  Completes a leased job: stores its result and lets its record expire after keepResultMs.
  Fenced: refused (returns 0) unless the caller still holds the job's lease token.

  KEYS[1] active, KEYS[2] completed, KEYS[3] events (pub/sub channel)
  ARGV[1] base, ARGV[2] id, ARGV[3] token, ARGV[4] result JSON, ARGV[5] keepResultMs

  Returns 1 when completed, 0 when the lease was lost.
]]
-- @include on-job-ended.lua
local base = ARGV[1]
local id = ARGV[2]
local key = base .. "job:" .. id
if redis.call("HGET", key, "l") ~= ARGV[3] then return 0 end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local keep = tonumber(ARGV[5])

redis.call("ZREM", KEYS[1], id)
redis.call("HDEL", key, "l")
redis.call("HSET", key, "s", "completed", "r", ARGV[4], "fin", now)
redis.call("PEXPIRE", key, keep)
redis.call("PEXPIRE", base .. "errors:" .. id, keep)
redis.call("PEXPIRE", base .. "logs:" .. id, keep)
redis.call("ZADD", KEYS[2], now, id)
redis.call("ZREMRANGEBYSCORE", KEYS[2], "-inf", now - keep)
if redis.call("HGET", key, "wt") then redis.call("PUBLISH", KEYS[3], id) end
onJobEnded(base, id, "completed", now)
return 1
