--[[
  Changes the priority of a job that has not started; a waiting job moves to the new priority's list
  (at the back of it).

  KEYS[1..5] wait:0..4
  ARGV[1] base, ARGV[2] id, ARGV[3] priority (0..4)

  Returns the job's state (false when it does not exist); only waiting and delayed jobs change.
  Besides its KEYS, turning a pending job into a record (pending-job.lua) writes `<base>data` and
  reads `<base>leases`.
]]
-- @include lease.lua
-- @include pending-job.lua
local key = ARGV[1] .. "job:" .. ARGV[2]
-- A pending job (pending-job.lua) gets its record first: the rest acts on records.
materializeJob(ARGV[1], ARGV[2])
local f = redis.call("HMGET", key, "s", "p", "n")
if not f[1] and not f[3] then return false end
f[1] = f[1] or "waiting" -- a new job's record leaves its state out: waiting
if f[1] == "waiting" then
  if redis.call("LREM", KEYS[1 + tonumber(f[2])], 1, ARGV[2]) > 0 then
    redis.call("LPUSH", KEYS[1 + tonumber(ARGV[3])], ARGV[2])
  end
end
if f[1] == "waiting" or f[1] == "delayed" then redis.call("HSET", key, "p", ARGV[3]) end
return f[1]
