--[[
  Completes leased jobs, as many as finished in the same moment, and in the same call leases the
  worker its next jobs: a busy worker makes one round trip per batch of finished jobs, and at
  concurrency 1 one per job. Each completion is fenced: refused unless the caller still holds that
  job's lease token. The batch's leases are read with one HMGET of `leases` and removed with one HDEL
  (includes/lease.lua); a job's record is read only when it has a whole one (its `wt`, `u`, `ch`).

  A completed job is listed in `completed` by when it expires (now + keepResultMs); its record
  (for a job leased from the pending form, only its outcome and the lease's attempt, worker and start
  time: its own fields stay in its data entry, see pending-job.lua), payload entry, error and log
  lists stay until then and go when that index is trimmed (see trim-completed.lua; at most 100 per
  call, so the cost of a completion stays flat). Dependants and unique keys are settled only when the
  job has them (`ch`, `u`). A job leased from the pending form whose record key was replaced by a
  value of another type (by hand) is dead-lettered with the reason, its completion refused.

  KEYS[1] completed, KEYS[2] events,
  KEYS[3..12] as fetch-10.lua: delayed, active, marker, wait:0..4, fair, leases
  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] how many jobs to fetch (0 = none),
  ARGV[5] promoteLimit, ARGV[6] weights, ARGV[7] limits, ARGV[8] token (as fetch-10.lua), ARGV[9] count,
  then per job 4 fields: id, token, result JSON, keepResultMs

  Besides its KEYS it writes `<base>history`, the per-minute counts (see job-history.lua).

  Returns { 1 or 0 per job (0: the lease was lost), then fetch-10.lua's reply }.
]]
-- @include publish-event.lua
-- @include on-job-ended.lua
-- @include job-history.lua
-- @include job-record.lua
-- @include lease.lua
-- @include pending-job.lua
-- @include fetch-jobs.lua
-- @include trim-completed.lua
local base = ARGV[1]
-- Now in ms as text from TIME's digits, then as a number (see fetch-10.lua).
local t = redis.call("TIME")
local nowText = t[1] .. string.sub("000000" .. t[2], -6, -4)
local now = tonumber(nowText)
local count = tonumber(ARGV[9])
local out = {}
-- Expiry scores as text, once per distinct keepResultMs of the batch (see fetch-jobs.lua on sprintf).
local expiresAt = {}

local done = {}
local scored = {}
-- Every lease of the batch, once (chunked: a variadic call takes a few thousand values at most).
local ids = {}
for i = 0, count - 1 do ids[i + 1] = ARGV[10 + i * 4] end
local leases = {}
local leasesKey = KEYS[12]
for first = 1, count, 1000 do
  local last = math.min(count, first + 999)
  local chunk = redis.pcall("HMGET", leasesKey, unpack(ids, first, last))
  -- `leases` of the wrong type (by hand): no lease can be shown, so every completion is refused; the
  -- jobs run again once their leases expire and the key is fixed (reclaim-expired-12.lua).
  if failure(chunk) then break end
  for j = first, last do leases[j] = chunk[j - first + 1] end
end
-- The job's name and attempt are read only for its event, when anybody hears it: each field an
-- HMGET reads is one more scan of the record and one more reply value turned into Lua.
local heard = jobEventsHeard(base)
for i = 0, count - 1 do
  local o = 10 + i * 4
  local id = ARGV[o]
  local key = base .. "job:" .. id
  local lease, token = leases[i + 1], ARGV[o + 1]
  local f = nil
  local held, pending = leaseHeld(lease, token)
  if held and not pending then
    -- A record replaced by a value of another type (by hand) refuses its completion alone, not the
    -- batch's: the others would otherwise run again once their leases expired.
    if heard then
      f = redis.pcall("HMGET", key, "wt", "u", "ch", "n")
    else
      f = redis.pcall("HMGET", key, "wt", "u", "ch")
    end
    if failure(f) then held = false end
  end
  local keep = ARGV[o + 3]
  local expires = expiresAt[keep]
  if held and not expires then
    expires = tostring(now + tonumber(keep))
    expiresAt[keep] = expires
  end
  if held and not f then
    -- Leased from the pending form (pending-job.lua): no record to read; one is written with the
    -- outcome and the lease's state. Its key may hold a value of another type (by hand): that job is
    -- dead-lettered with the reason (its lease and `active` entry go with it), the others go on.
    local st, w = pendingLeaseState(lease, token)
    local err = failure(redis.pcall("HSET", key, "s", "completed", "r", ARGV[o + 2], "fin", nowText, "a", "1", "w", w, "st", st))
    if err then
      held = false
      deadLetter(base, key, id, "its record key is not a hash (" .. err .. ")", now)
      redis.call("HDEL", leasesKey, id)
      redis.call("ZREM", KEYS[4], id)
    else
      f = {}
    end
  elseif held then
    redis.call("HSET", key, "s", "completed", "r", ARGV[o + 2], "fin", nowText)
  end
  if not held then
    out[#out + 1] = 0
  else
    if f[1] then redis.call("PUBLISH", KEYS[2], id) end
    if heard then
      -- Leased from the pending form (pending-job.lua): its name is in its data entry.
      local name = f[4]
      if not name then
        local pf = pendingEntry(redis.call("HGET", base .. "data", id))
        name = pf and pf.n
      end
      jobEvent(base, "completed", id, name, (leaseState(lease, token)))
    end
    if f[2] or f[3] then onJobEnded(base, id, "completed", now, f[2], f[3]) end
    local d = #done + 1
    done[d] = id
    scored[2 * d - 1] = expires
    scored[2 * d] = id
    out[#out + 1] = 1
  end
end
-- The indexes once for the whole batch (the caller sends at most a few hundred jobs per call).
if #done > 0 then
  redis.call("ZREM", KEYS[4], unpack(done))
  redis.call("HDEL", leasesKey, unpack(done))
  redis.call("ZADD", KEYS[1], unpack(scored))
  trimCompleted(base, KEYS[1], nowText, "100")
  countJobs(base, "c", now, #done)
end

local want = tonumber(ARGV[4])
if want > 0 then
  local k = { delayed = KEYS[3], active = KEYS[4], marker = KEYS[5],
    wait = { [0] = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10] }, fair = KEYS[11], leases = KEYS[12] }
  for _, v in ipairs(fetchJobs(base, k, ARGV[2], ARGV[3], want, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], now, nowText)) do
    out[#out + 1] = v
  end
else
  out[#out + 1] = -1
end
publishJobEvents(base, now)
return out
