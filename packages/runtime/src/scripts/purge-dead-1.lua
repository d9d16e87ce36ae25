--[[
  Deletes jobs from the dead-letter queue for good: the entry, the job record, its payload, its error
  history and its logs.

  KEYS[1] dead
  ARGV[1] base, then the ids

  Returns the number of jobs deleted.
]]
local base = ARGV[1]
local n = 0
for i = 2, #ARGV do
  if redis.call("ZREM", KEYS[1], ARGV[i]) == 1 then
    redis.call("DEL", base .. "job:" .. ARGV[i], base .. "errors:" .. ARGV[i], base .. "logs:" .. ARGV[i])
    redis.call("HDEL", base .. "data", ARGV[i])
    n = n + 1
  end
end
return n
