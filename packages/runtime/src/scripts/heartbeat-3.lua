--[[
  A worker's heartbeat on one queue: records it as alive (on Redis time) and pushes the lease expiry
  of each job it runs to now + leaseMs, but only where it still holds the lease token. Returns the ids
  whose lease was lost (reclaimed and perhaps handed to another worker), so the worker aborts them
  instead of finishing them twice.

  The queue's clock: `tick` is the last time any worker or TaskManager touched the queue. A gap longer
  than a lease means nobody could reach Redis (an outage, a restart) or nobody ran at all; `resumedAt`
  then marks the restart, and the TaskManager and Monitor give every worker one full lease from that
  moment before declaring anything dead, so an outage of Redis itself never looks like dead workers.

  KEYS[1] workers (ZSET id -> last heartbeat ms), KEYS[2] active, KEYS[3] clock (hash tick, resumedAt)
  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] worker info JSON, then pairs: id, token
]]
-- @include queue-clock.lua
local base = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseMs = tonumber(ARGV[3])

tickQueueClock(KEYS[3], now, leaseMs)

redis.call("ZADD", KEYS[1], now, ARGV[2])
redis.call("SET", base .. "worker:" .. ARGV[2], ARGV[4], "PX", 86400000)

local lost = {}
for i = 5, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call("HGET", base .. "job:" .. id, "l") == ARGV[i + 1] then
    redis.call("ZADD", KEYS[2], "XX", now + leaseMs, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
