--[[
  Moves jobs from the dead-letter queue back to their wait lists with a fresh set of attempts. Their
  error history is kept. Ids not in the dead-letter queue are skipped.

  KEYS[1] dead, KEYS[2] marker, KEYS[3..7] wait:0..4
  ARGV[1] base, then the ids

  Returns the number of jobs moved.
]]
local base = ARGV[1]
local moved = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call("ZREM", KEYS[1], id) == 1 then
    local key = base .. "job:" .. id
    if redis.call("EXISTS", key) == 1 then
      local p = tonumber(redis.call("HGET", key, "p"))
      if not p or p < 0 or p > 4 then p = 2 end
      redis.call("HSET", key, "s", "waiting", "a", 0)
      redis.call("HDEL", key, "fin")
      redis.call("LPUSH", KEYS[3 + tonumber(p)], id)
      moved = moved + 1
    end
  end
end
if moved > 0 then redis.call("ZADD", KEYS[2], 0, "0") end
return moved
