--[[
  Leases up to `count` jobs to a worker, most urgent priority first. First promotes due delayed jobs
  (delays and retry backoffs) to their wait lists, so no separate process is needed for them to run.

  A leased job is never only in the worker's memory: it sits in `active` with its lease expiry, and
  its record holds the lease token. Completing or failing it later must present that token; once the
  lease is reclaimed the token is cleared, so a worker that woke up late cannot finish the job twice.

  KEYS[1]    seq       lease token counter
  KEYS[2]    delayed   ZSET id -> due ms
  KEYS[3]    active    ZSET id -> lease expiry ms
  KEYS[4]    marker
  KEYS[5..9] wait:0..4

  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] count, ARGV[5] promoteLimit

  Returns { nextDueInMs (-1 when nothing is delayed), then per job 9 fields:
            id, token, name, payload, version, attempt (1-based, this run), maxAttempts, timeoutMs|false, createdAt }
]]
local base = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local due = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", now, "LIMIT", 0, tonumber(ARGV[5]))
for _, id in ipairs(due) do
  redis.call("ZREM", KEYS[2], id)
  local key = base .. "job:" .. id
  local p = redis.call("HGET", key, "p")
  if p then
    redis.call("HSET", key, "s", "waiting")
    redis.call("HDEL", key, "da")
    redis.call("LPUSH", KEYS[5 + tonumber(p)], id)
  end
end

local out = { -1 }
local want = tonumber(ARGV[4])
local leaseUntil = now + tonumber(ARGV[3])
local token = nil
for p = 0, 4 do
  if want <= 0 then break end
  local ids = redis.call("RPOP", KEYS[5 + p], want)
  if ids then
    for _, id in ipairs(ids) do
      local key = base .. "job:" .. id
      local f = redis.call("HMGET", key, "n", "d", "v", "m", "t", "ct")
      if f[1] then
        if token == nil then token = redis.call("INCR", KEYS[1]) end
        local lease = token .. "." .. (#out)
        local attempt = redis.call("HINCRBY", key, "a", 1)
        redis.call("HSET", key, "s", "active", "l", lease, "w", ARGV[2], "st", now)
        redis.call("ZADD", KEYS[3], leaseUntil, id)
        local n = #out
        out[n + 1] = id; out[n + 2] = lease; out[n + 3] = f[1]; out[n + 4] = f[2]; out[n + 5] = f[3]
        out[n + 6] = attempt; out[n + 7] = f[4]; out[n + 8] = f[5]; out[n + 9] = f[6]
        want = want - 1
      end
    end
  end
end

if want <= 0 then
  -- This worker took all it could; wake another idle one if work is left.
  for p = 0, 4 do
    if redis.call("LLEN", KEYS[5 + p]) > 0 then
      redis.call("ZADD", KEYS[4], 0, "0")
      break
    end
  end
end

local next = redis.call("ZRANGE", KEYS[2], 0, 0, "WITHSCORES")
if next[2] then out[1] = math.max(0, tonumber(next[2]) - now) end
return out
