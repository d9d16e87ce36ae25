--[[
  Records a handler's `ctx.progress(value)` on its job and tells the job's followers
  (`handle.progress()`, `client.events()`) in the same step, so the value stored and the values
  published never disagree.

  KEYS[1] the job's record
  ARGV[1] base, ARGV[2] id, ARGV[3] the value as JSON
  Besides its KEYS it reads `<base>data` and `<base>leases` (a job leased from the pending form keeps
  its name and attempt there, see pending-job.lua), only when the queue's events are followed.
]]
-- @include publish-event.lua
-- @include lease.lua
-- @include pending-job.lua
redis.call("HSET", KEYS[1], "pg", ARGV[3])
local f = redis.call("HMGET", KEYS[1], "n", "a")
-- Leased from the pending form (pending-job.lua): its name is in its data entry, its attempt in its
-- lease (lease.lua).
if not f[1] and jobEventsHeard(ARGV[1]) then
  local pf = pendingEntry(redis.call("HGET", ARGV[1] .. "data", ARGV[2]))
  f[1] = pf and pf.n
  local lease = parseLease(redis.pcall("HGET", ARGV[1] .. "leases", ARGV[2]), ARGV[2])
  f[2] = f[2] or (lease and lease.a)
end
local t = redis.call("TIME")
jobEvent(ARGV[1], "progress", ARGV[2], f[1], f[2], ARGV[3])
publishJobEvents(ARGV[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
return 1
