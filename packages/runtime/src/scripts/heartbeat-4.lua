--[[
  A worker's heartbeat on one queue: records it as alive (on Redis time) and pushes the lease expiry
  of each job it runs to now + leaseMs, but only where it still holds the lease token. Returns the ids
  whose lease was lost (reclaimed and perhaps handed to another worker), so the worker aborts them
  instead of finishing them twice.

  The queue's clock: `tick` is the last time any worker or TaskManager touched the queue. A gap longer
  than a lease means nobody could reach Redis (an outage, a restart) or nobody ran at all; `resumedAt`
  then marks the restart, and the TaskManager and Monitor give every worker one full lease from that
  moment before declaring anything dead, so an outage of Redis itself never looks like dead workers.

  KEYS[1] workers (ZSET id -> last heartbeat ms), KEYS[2] active, KEYS[3] clock (hash tick, resumedAt),
  KEYS[4] leases (includes/lease.lua)
  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] worker info JSON, then pairs: id, token
]]
-- @include queue-clock.lua
-- @include lease.lua
local base = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseMs = tonumber(ARGV[3])

tickQueueClock(KEYS[3], now, leaseMs)

redis.call("ZADD", KEYS[1], now, ARGV[2])
redis.call("SET", base .. "worker:" .. ARGV[2], ARGV[4], "PX", 86400000)

local lost = {}
local ids = {}
for i = 5, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
-- The leases of all the worker's jobs at once (chunked: a variadic call takes a few thousand values
-- at most). `leases` of the wrong type (by hand) shows no lease: every job counts as lost.
local leases = {}
for first = 1, #ids, 1000 do
  local last = math.min(#ids, first + 999)
  local chunk = redis.pcall("HMGET", KEYS[4], unpack(ids, first, last))
  if type(chunk) == "table" and not chunk.err then
    for j = first, last do leases[j] = chunk[j - first + 1] end
  end
end
for j, id in ipairs(ids) do
  if (leaseHeld(leases[j], ARGV[4 + 2 * j])) then
    redis.call("ZADD", KEYS[2], "XX", now + leaseMs, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
