--[[
  Included by heartbeat-4.lua and reclaim-expired-12.lua. The queue's clock (hash: tick, resumedAt):
  `tick` is the last time any worker or TaskManager touched the queue. A gap longer than a lease means
  nobody could reach Redis (an outage, a restart) or nobody ran at all; `resumedAt` then marks the
  restart, and nothing is reclaimed or declared dead until a full lease has passed from it.
  `tickQueueClock` records this visit and returns `resumedAt`.
]]
local function tickQueueClock(clockKey, now, leaseMs)
  local clock = redis.call("HMGET", clockKey, "tick", "resumedAt")
  local resumedAt = tonumber(clock[2] or "0")
  if now - tonumber(clock[1] or "0") > leaseMs then
    resumedAt = now
    redis.call("HSET", clockKey, "tick", now, "resumedAt", now)
  else
    redis.call("HSET", clockKey, "tick", now)
  end
  return resumedAt
end
