--[[
  Cancels a job that has not started: takes it off its wait list, the delayed set or its wait for
  its parents, and marks it cancelled (waiters and dependants are told). A running, finished or dead
  job is left as it is.

  KEYS[1] delayed, KEYS[2] events, KEYS[3..7] wait:0..4
  ARGV[1] base, ARGV[2] id, ARGV[3] keepResultMs

  Returns the state the job was in (false when it does not exist).
  Besides its KEYS, turning a pending job into a record (pending-job.lua) writes `<base>data` and
  reads `<base>leases`.
]]
-- @include publish-event.lua
-- @include on-job-ended.lua
-- @include lease.lua
-- @include pending-job.lua
local key = ARGV[1] .. "job:" .. ARGV[2]
-- A pending job (pending-job.lua) gets its record first: the rest acts on records.
materializeJob(ARGV[1], ARGV[2])
local f = redis.call("HMGET", key, "s", "p", "wt", "u", "ch", "n", "a")
if not f[1] and not f[6] then return false end
f[1] = f[1] or "waiting" -- a new job's record leaves its state out: waiting
if f[1] == "waiting" then
  redis.call("LREM", KEYS[3 + tonumber(f[2])], 1, ARGV[2])
elseif f[1] == "delayed" then
  redis.call("ZREM", KEYS[1], ARGV[2])
elseif f[1] == "blocked" then
  redis.call("ZREM", ARGV[1] .. "blocked", ARGV[2])
else
  return f[1]
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- The record now expires on its own: it takes its payload along from the queue's `data` hash.
local payload = redis.call("HGET", ARGV[1] .. "data", ARGV[2])
redis.call("HDEL", ARGV[1] .. "data", ARGV[2])
redis.call("HSET", key, "s", "cancelled", "fin", now, "d", payload or "")
redis.call("PEXPIRE", key, tonumber(ARGV[3]))
if f[3] then redis.call("PUBLISH", KEYS[2], ARGV[2]) end
-- Before its dependants' events: a follower hears of the cause first.
jobEvent(ARGV[1], "cancelled", ARGV[2], f[6], f[7])
onJobEnded(ARGV[1], ARGV[2], "cancelled", now, f[4], f[5])
publishJobEvents(ARGV[1], now)
return f[1]
