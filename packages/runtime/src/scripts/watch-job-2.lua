--[[
  Reads a job's state for `result()` and, when `flag` is "1", marks that somebody waits on it, so the
  scripts that finish it publish its id on the queue's events channel. Reading and marking in one step
  closes the gap between "not finished yet" and "subscribed": the caller subscribes first.

  KEYS[1] job:<id>, KEYS[2] errors:<id>
  ARGV[1] flag, ARGV[2] base, ARGV[3] id

  Returns false when the job does not exist, else { state, result|false, error JSONs... }.
  Besides its KEYS it reads `<base>data` and `<base>leases` for a pending job (pending-job.lua), and
  writes them when marking one.
]]
-- @include lease.lua
-- @include pending-job.lua
-- A pending job (pending-job.lua) gets its record first when it is to be marked (reading it needs none).
local f = redis.call("HMGET", KEYS[1], "s", "r", "n")
if not f[1] and not f[3] and ARGV[1] == "1" and materializeJob(ARGV[2], ARGV[3]) then f = redis.call("HMGET", KEYS[1], "s", "r", "n") end
-- Pending, or leased from the pending form (its lease in `leases`, lease.lua).
if not f[1] and not f[3] and pendingEntry(redis.pcall("HGET", ARGV[2] .. "data", ARGV[3])) then
  f[1] = parseLease(redis.pcall("HGET", ARGV[2] .. "leases", ARGV[3]), ARGV[3]) and "active" or "waiting"
end
if not f[1] and not f[3] then return false end
f[1] = f[1] or "waiting" -- a new job's record leaves its state out: waiting
if ARGV[1] == "1" and (f[1] ~= "completed" and f[1] ~= "dead" and f[1] ~= "cancelled") then
  redis.call("HSET", KEYS[1], "wt", 1)
end
local out = { f[1], f[2] or false }
if f[1] == "dead" or f[1] == "cancelled" then
  for _, e in ipairs(redis.call("LRANGE", KEYS[2], 0, -1)) do out[#out + 1] = e end
end
return out
