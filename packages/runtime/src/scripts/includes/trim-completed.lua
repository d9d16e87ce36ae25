--[[
  Included by complete-12.lua and reclaim-expired-12.lua: `trimCompleted` removes completed jobs
  whose keepResultMs has run out, at most `limit` of them, and returns how many it removed.

  `completed` is scored by when each entry expires (finish time + its job type's keepResultMs), so
  one range finds them whatever their job types keep. A finished record carries no TTL: it goes here,
  with its payload entry, error and log lists, on the next completion or TaskManager pass after its
  time, as BullMQ's removeOnComplete age does. A per-job PEXPIRE cost about a tenth of a job's Redis
  time, and a key with a TTL an entry in Redis's expires table.
]]
-- `now` and `limit` as text: a number given to redis.call is formatted with sprintf, and this runs on
-- every completion.
local function trimCompleted(base, completedKey, now, limit)
  local expired = redis.call("ZRANGEBYSCORE", completedKey, "-inf", now, "LIMIT", "0", limit)
  if #expired == 0 then return 0 end
  redis.call("ZREM", completedKey, unpack(expired))
  redis.call("HDEL", base .. "data", unpack(expired))
  local keys = {}
  for i, id in ipairs(expired) do
    keys[3 * i - 2] = base .. "job:" .. id
    keys[3 * i - 1] = base .. "errors:" .. id
    keys[3 * i] = base .. "logs:" .. id
  end
  redis.call("DEL", unpack(keys))
  return #expired
end
