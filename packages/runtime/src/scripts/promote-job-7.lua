--[[
  Runs a delayed job (a delay or a retry's backoff) now: moves it from `delayed` to the back of its
  wait list, so it is the next of its priority to run. Its attempts are kept: an operator's "retry
  now" skips the wait, not the attempt limit. A job in any other state is left as it is.

  KEYS[1] delayed, KEYS[2] marker, KEYS[3..7] wait:0..4
  ARGV[1] base, ARGV[2] id

  Returns the state the job was in (false when it does not exist).
]]
local key = ARGV[1] .. "job:" .. ARGV[2]
local f = redis.call("HMGET", key, "s", "p", "n")
if not f[1] and not f[3] then return false end
f[1] = f[1] or "waiting" -- a new job's record leaves its state out: waiting
if f[1] ~= "delayed" then return f[1] end
redis.call("ZREM", KEYS[1], ARGV[2])
redis.call("HSET", key, "s", "waiting")
redis.call("HDEL", key, "da")
redis.call("RPUSH", KEYS[3 + tonumber(f[2])], ARGV[2])
redis.call("ZADD", KEYS[2], 0, "0")
return f[1]
