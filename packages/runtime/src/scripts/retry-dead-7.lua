--[[
  Moves jobs from the dead-letter queue back to their wait lists with a fresh set of attempts. Their
  error history is kept. Ids not in the dead-letter queue, or whose record is not a hash, are skipped.

  KEYS[1] dead, KEYS[2] marker, KEYS[3..7] wait:0..4
  ARGV[1] base, then the ids

  Returns the number of jobs moved.
]]
local base = ARGV[1]
local moved = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local key = base .. "job:" .. id
  -- A record of another type than a hash (written by hand) cannot run: it stays dead, rather than
  -- failing the retry of every job after it.
  local kind = redis.call("TYPE", key).ok
  if (kind == "hash" or kind == "none") and redis.call("ZREM", KEYS[1], id) == 1 then
    if kind == "hash" then
      local p = tonumber(redis.call("HGET", key, "p"))
      if not p or p < 0 or p > 4 or p ~= math.floor(p) then p = 2 end
      redis.call("HSET", key, "s", "waiting", "a", 0)
      redis.call("HDEL", key, "fin")
      redis.call("LPUSH", KEYS[3 + tonumber(p)], id)
      moved = moved + 1
    end
  end
end
if moved > 0 then redis.call("ZADD", KEYS[2], 0, "0") end
return moved
