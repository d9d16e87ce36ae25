--[[
  Leases up to `count` jobs to a worker. First promotes due delayed jobs (delays, retry backoffs,
  rate-limit waits) to their wait lists, so no separate process is needed for them to run.

  Which priority serves next: with weights (default 16/8/4/2/1 from critical to batch), smooth
  weighted round robin over the non-empty lists, so `batch` still progresses under a flood of `high`
  and, over time, list i gets weight_i / sum of the non-empty weights of the jobs; its state lives in
  `fair`. Without weights (ARGV[6] = ""), strict order: always the most urgent non-empty list.

  Rate limits (ARGV[7], JSON { name: { w: [[windowMs, max], ...], i: minIntervalMs } }): a job over
  its limit goes to `delayed` until its window allows, unleased and its attempt not counted, and the
  next job is tried. Windows are fixed, aligned to Redis time, per job name and group (job field g).

  A leased job is never only in the worker's memory: it sits in `active` with its lease expiry, and
  its record holds the lease token. Completing or failing it later must present that token; once the
  lease is reclaimed the token is cleared, so a worker that woke up late cannot finish the job twice.

  KEYS[1] seq, KEYS[2] delayed, KEYS[3] active, KEYS[4] marker, KEYS[5..9] wait:0..4, KEYS[10] fair
  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] count, ARGV[5] promoteLimit,
  ARGV[6] weights "16,8,4,2,1" or "" (strict), ARGV[7] limits JSON or ""

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

local lens = {}
for p = 0, 4 do lens[p] = redis.call("LLEN", KEYS[5 + p]) end
local weights = nil
local credit = nil
if ARGV[6] ~= "" then
  weights = {}
  local p = 0
  for w in string.gmatch(ARGV[6], "[^,]+") do weights[p] = tonumber(w); p = p + 1 end
  local c = redis.call("HMGET", KEYS[10], "0", "1", "2", "3", "4")
  credit = {}
  for q = 0, 4 do credit[q] = tonumber(c[q + 1] or "0") end
end
local limits = nil
if ARGV[7] ~= "" then limits = cjson.decode(ARGV[7]) end

-- The next priority to serve, or nil when every list is empty.
local function pick()
  if not weights then
    for p = 0, 4 do if lens[p] > 0 then return p end end
    return nil
  end
  local total, best = 0, nil
  for p = 0, 4 do
    if lens[p] > 0 then
      credit[p] = credit[p] + weights[p]
      total = total + weights[p]
      if best == nil or credit[p] > credit[best] then best = p end
    else
      credit[p] = 0
    end
  end
  if best ~= nil then credit[best] = credit[best] - total end
  return best
end

-- When a job of this name and group may run next, or 0 if now (and then its run is counted).
local function limitedUntil(key, name)
  local limit = limits and limits[name]
  if not limit then return 0 end
  local rk = base .. "limit:" .. name .. ":" .. (redis.call("HGET", key, "g") or "") .. ":"
  local untilMs = 0
  if limit.i then
    local last = tonumber(redis.call("GET", rk .. "last") or "0")
    if now < last + limit.i then untilMs = last + limit.i end
  end
  for _, w in ipairs(limit.w or {}) do
    local bucket = math.floor(now / w[1])
    local used = tonumber(redis.call("GET", rk .. w[1] .. ":" .. bucket) or "0")
    if used >= w[2] then untilMs = math.max(untilMs, (bucket + 1) * w[1]) end
  end
  if untilMs > 0 then return untilMs end
  if limit.i then redis.call("SET", rk .. "last", now, "PX", limit.i) end
  for _, w in ipairs(limit.w or {}) do
    local counter = rk .. w[1] .. ":" .. math.floor(now / w[1])
    if redis.call("INCR", counter) == 1 then redis.call("PEXPIRE", counter, w[1]) end
  end
  return 0
end

local out = { -1 }
local want = tonumber(ARGV[4])
local leaseUntil = now + tonumber(ARGV[3])
local token = nil
local tries = want + 100
while want > 0 and tries > 0 do
  tries = tries - 1
  local p = pick()
  if p == nil then break end
  local id = redis.call("RPOP", KEYS[5 + p])
  lens[p] = lens[p] - 1
  if id then
    local key = base .. "job:" .. id
    local f = redis.call("HMGET", key, "n", "d", "v", "m", "t", "ct")
    if f[1] then
      local untilMs = limitedUntil(key, f[1])
      if untilMs > 0 then
        redis.call("HSET", key, "s", "delayed", "da", untilMs)
        redis.call("ZADD", KEYS[2], untilMs, id)
      else
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
if weights then redis.call("HSET", KEYS[10], "0", credit[0], "1", credit[1], "2", credit[2], "3", credit[3], "4", credit[4]) end

if want <= 0 then
  -- This worker took all it could; wake another idle one if work is left.
  for p = 0, 4 do
    if lens[p] > 0 then
      redis.call("ZADD", KEYS[4], 0, "0")
      break
    end
  end
end

local next = redis.call("ZRANGE", KEYS[2], 0, 0, "WITHSCORES")
if next[2] then out[1] = math.max(0, tonumber(next[2]) - now) end
return out
