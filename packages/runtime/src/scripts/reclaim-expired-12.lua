--[[
  Takes back the jobs whose lease expired (their worker died or stopped heartbeating) and returns
  each to the front of its wait list, exactly once: the job leaves `active` and `leases` (its lease
  token, includes/lease.lua) in the same step, so a second caller finds nothing and the old worker's
  late completion is refused. The interrupted run counts as an attempt, so a job that keeps killing its workers ends in
  the dead-letter queue instead of looping forever.

  After an outage (see heartbeat-4.lua: the queue's clock) nothing is taken back until a full lease
  has passed since Redis came back, so live workers have time to heartbeat again. Workers silent for a
  day are dropped from the registry, and completed jobs past their keepResultMs are removed (see
  trim-completed.lua), so they go on a queue that no longer completes anything too.

  KEYS[1] active, KEYS[2] dead, KEYS[3] marker, KEYS[4] events, KEYS[5..9] wait:0..4,
  KEYS[10] clock, KEYS[11] workers, KEYS[12] leases
  ARGV[1] base, ARGV[2] limit, ARGV[3] leaseMs
  Besides its KEYS it writes `<base>history`: an interrupted attempt counts as failed (job-history.lua),
  and, for a job leased from the pending form, its `<base>data` entry (pending-job.lua).

  Returns { number of jobs taken back, ms until the next lease expires (-1 when none) }, so the
  caller can come back exactly when a silent worker's jobs fall due instead of polling.
]]
-- @include publish-event.lua
-- @include on-job-ended.lua
-- @include queue-clock.lua
-- @include job-history.lua
-- @include trim-completed.lua
-- @include lease.lua
-- @include pending-job.lua
local base = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseMs = tonumber(ARGV[3])

-- Expired results go whatever the clock says about outages: no worker's lease depends on them.
for _ = 1, 10 do
  if trimCompleted(base, base .. "completed", tostring(now), "100") < 100 then break end
end
local graceLeft = tickQueueClock(KEYS[10], now, leaseMs) + leaseMs - now
if graceLeft > 0 then return { 0, graceLeft } end
redis.call("ZREMRANGEBYSCORE", KEYS[11], "-inf", now - 86400000)
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now, "LIMIT", 0, tonumber(ARGV[2]))
-- Their leases, read and cleared once for all of them (at most `limit`, a few hundred). `leases` of
-- the wrong type (by hand) shows none: the jobs are taken back all the same, one leased from the
-- pending form as its first attempt (the only one it can be on).
local leases = {}
local leasesOk = false
if #ids > 0 then
  leases = redis.pcall("HMGET", KEYS[12], unpack(ids))
  leasesOk = not leases.err
  if not leasesOk then leases = {} end
end
for j, id in ipairs(ids) do
  redis.call("ZREM", KEYS[1], id)
  local key = base .. "job:" .. id
  local f = redis.pcall("HMGET", key, "a", "m", "p", "w", "wt", "u", "ch", "n")
  local lease = parseLease(leases[j], id)
  -- Leased from the pending form (pending-job.lua): the job's own fields and its lease's state join
  -- its record before it goes back to a wait list or to the dead-letters.
  if not f.err and not f[8] and materializeJob(base, id) then
    if not lease then redis.call("HSET", key, "a", "1") end
    f = redis.call("HMGET", key, "a", "m", "p", "w", "wt", "u", "ch", "n")
  end
  if f.err then
    -- A record replaced by a value of another type (by hand): dead, with why, not a failed pass.
    redis.pcall("RPUSH", base .. "errors:" .. id, cjson.encode({ attempt = 0, name = "MalformedRecord",
      message = "malformed job record: it is not a hash (" .. f.err .. ")", at = now }))
    redis.call("ZADD", KEYS[2], now, id)
  elseif f[1] then
    local err = cjson.encode({ attempt = tonumber(f[1]), name = "LeaseExpired",
      message = "worker " .. tostring(f[4]) .. " stopped heartbeating; the attempt was interrupted", at = now })
    redis.call("RPUSH", base .. "errors:" .. id, err)
    redis.call("HSET", key, "e", err)
    countJobs(base, "f", now, 1)
    if (tonumber(f[1]) or 1) >= (tonumber(f[2]) or 1) then
      redis.call("HSET", key, "s", "dead", "fin", now)
      redis.call("ZADD", KEYS[2], now, id)
      if f[5] then redis.call("PUBLISH", KEYS[4], id) end
      jobEvent(base, "dead", id, f[8], f[1])
      onJobEnded(base, id, "dead", now, f[6], f[7])
      countJobs(base, "d", now, 1)
    else
      redis.call("HSET", key, "s", "waiting")
      local p = tonumber(f[3])
      if not p or p < 0 or p > 4 or p ~= math.floor(p) then p = 2 end
      redis.call("RPUSH", KEYS[5 + p], id)
      jobEvent(base, "failed", id, f[8], f[1])
    end
  end
end
-- After the loop: materializeJob reads a pending-form job's lease.
if leasesOk then redis.call("HDEL", KEYS[12], unpack(ids)) end
if #ids > 0 then redis.call("ZADD", KEYS[3], 0, "0") end
publishJobEvents(base, now)
local next = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
local nextIn = -1
if next[2] then nextIn = math.max(0, tonumber(next[2]) - now) end
return { #ids, nextIn }
