--[[
  Ends one attempt of a leased job that did not complete. Fenced like complete: refused (returns 0)
  unless the caller still holds the lease token. The worker decides the mode from the outcome:

    retry    the attempt failed; the job waits `delayMs` in `delayed`, then runs again
    dead     no attempts left, PermanentError, or undecodable: the dead-letter queue keeps it
    release  not the job's fault (RateLimitError, shutdown): back to the queue, attempt not counted,
             to the front of its wait list, or after `delayMs` when given

  KEYS[1] active, KEYS[2] delayed, KEYS[3] dead, KEYS[4] marker, KEYS[5] events, KEYS[6..10] wait:0..4,
  KEYS[11] leases (includes/lease.lua)
  ARGV[1] base, ARGV[2] id, ARGV[3] token, ARGV[4] mode, ARGV[5] error JSON ("" = none), ARGV[6] delayMs
  Besides its KEYS it writes `<base>history`, the per-minute counts (see job-history.lua), and, for a
  job leased from the pending form, its `<base>data` entry (pending-job.lua).
]]
-- @include publish-event.lua
-- @include on-job-ended.lua
-- @include job-history.lua
-- @include lease.lua
-- @include pending-job.lua
local base = ARGV[1]
local id = ARGV[2]
local key = base .. "job:" .. id
local lease = redis.pcall("HGET", KEYS[11], id)
local held, pending = leaseHeld(lease, ARGV[3])
if not held then return 0 end
-- Leased from the pending form (pending-job.lua): the job's own fields, and its lease's state, join
-- its record before it goes back to a wait list, `delayed` or the dead-letters.
if pending then materializeJob(base, id) end
local f = redis.call("HMGET", key, "wt", "u", "ch", "p", "n", "a")
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode = ARGV[4]
local delay = tonumber(ARGV[6])

redis.call("ZREM", KEYS[1], id)
redis.call("HDEL", KEYS[11], id)
if ARGV[5] ~= "" then
  redis.call("RPUSH", base .. "errors:" .. id, ARGV[5])
  redis.call("HSET", key, "e", ARGV[5])
end

if mode == "release" then redis.call("HINCRBY", key, "a", -1) else countJobs(base, "f", now, 1) end

if mode == "dead" then
  redis.call("HSET", key, "s", "dead", "fin", now)
  redis.call("ZADD", KEYS[3], now, id)
  if f[1] then redis.call("PUBLISH", KEYS[5], id) end
  jobEvent(base, "dead", id, f[5], f[6])
  onJobEnded(base, id, "dead", now, f[2], f[3])
  countJobs(base, "d", now, 1)
elseif delay > 0 then
  redis.call("HSET", key, "s", "delayed", "da", now + delay)
  redis.call("ZADD", KEYS[2], now + delay, id)
  redis.call("ZADD", KEYS[4], 0, "0")
else
  redis.call("HSET", key, "s", "waiting")
  local p = tonumber(f[4])
  if not p or p < 0 or p > 4 or p ~= math.floor(p) then p = 2 end
  redis.call("RPUSH", KEYS[6 + p], id)
  redis.call("ZADD", KEYS[4], 0, "0")
end
-- A released attempt is not the job's failure: its followers hear of it when it starts again.
if mode == "retry" then jobEvent(base, "failed", id, f[5], f[6]) end
publishJobEvents(base, now)
return 1
