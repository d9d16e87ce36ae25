--[[
  A worker's heartbeat for the jobs it runs: pushes each lease's expiry to now + leaseMs, but only
  where the worker still holds the lease token. Returns the ids whose lease was lost (reclaimed and
  perhaps handed to another worker), so the worker can abort them instead of running them twice.

  KEYS[1] active
  ARGV[1] base, ARGV[2] leaseMs, then pairs: id, token
]]
local base = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[2])
local lost = {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call("HGET", base .. "job:" .. id, "l") == ARGV[i + 1] then
    redis.call("ZADD", KEYS[1], "XX", untilMs, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
