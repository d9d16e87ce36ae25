--[[
  Adds one or more jobs atomically. Everything that could refuse the call (a missing parent) is
  checked before the first write, and the client has validated every payload before calling, so a
  call writes all its jobs or none.

  KEYS[1]    seq        counter of auto ids
  KEYS[2]    delayed    ZSET id -> due ms
  KEYS[3]    marker     wakes one idle worker
  KEYS[4..8] wait:0..4  one list per priority

  ARGV[1] base   the queue's key prefix "<prefix>:{<queue>}:"
  ARGV[2] count  number of jobs
  then per job, 14 fields:
    id ("" = auto), name, payload, version, priority (0..4), maxAttempts,
    timeoutMs ("" = the job type's), runAtMs ("" = none), delayMs ("" = none),
    rate-limit group ("" = none), unique key ("" = none), unique ttl ms ("0" = until the job ends),
    parents (comma-separated ids of this queue, "" = none), parent failure policy ("fail" | "ignore")

  A job with parents waits in state "blocked" until every parent completed (on-job-ended.lua
  releases it). A parent that is or becomes dead or cancelled fails it with the reason, or, with the
  policy "ignore", counts as done. Parents must exist: in Redis or earlier in the same call.

  Returns a flat array: id1, created1 (1 new, 0 existing), ...; or { "missing", index, parentId }.
  An explicit id, or a unique key, that already names a job returns that job untouched.
]]
local base = ARGV[1]
local count = tonumber(ARGV[2])
local F = 14
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Pre-pass: every parent exists, in Redis or earlier in this call.
local earlier = {}
for i = 0, count - 1 do
  local o = 3 + i * F
  if ARGV[o + 12] ~= "" then
    for parent in string.gmatch(ARGV[o + 12], "[^,]+") do
      if not earlier[parent] and redis.call("EXISTS", base .. "job:" .. parent) == 0 then
        return { "missing", i, parent }
      end
    end
  end
  if ARGV[o] ~= "" then earlier[ARGV[o]] = true end
end

-- Counted ids for the jobs that surely get one (no explicit id, no unique key), taken in one INCRBY.
local counted = 0
for i = 0, count - 1 do
  local o = 3 + i * F
  if ARGV[o] == "" and ARGV[o + 10] == "" then counted = counted + 1 end
end
local nextId = 0
if counted > 0 then nextId = redis.call("INCRBY", KEYS[1], counted) - counted end

-- Written once for the whole call rather than once per job: the payloads (one HSET on `data`), the
-- wait lists (one LPUSH per priority, in call order) and the delayed index.
local payloads = {}
local waiting = { [0] = {}, {}, {}, {}, {} }
local delayed = {}
local out = {}
for i = 0, count - 1 do
  local o = 3 + i * F
  local id = ARGV[o]
  local created = 1
  local key
  local uniqueKey = ARGV[o + 10]
  local existing = uniqueKey ~= "" and redis.call("GET", base .. "unique:" .. uniqueKey)
  if existing and redis.call("EXISTS", base .. "job:" .. existing) == 1 then
    id = existing
    created = 0
  elseif id == "" then
    -- Explicit ids are never all digits (the client refuses them), so a counted id is always free.
    if uniqueKey == "" then
      nextId = nextId + 1
      id = tostring(nextId)
    else
      id = tostring(redis.call("INCR", KEYS[1]))
    end
    key = base .. "job:" .. id
  else
    key = base .. "job:" .. id
    if redis.call("EXISTS", key) == 1 then created = 0 end
  end

  if created == 1 then
    local priority = tonumber(ARGV[o + 4])
    local due = nil
    if ARGV[o + 7] ~= "" then due = tonumber(ARGV[o + 7]) end
    if ARGV[o + 8] ~= "" then due = now + tonumber(ARGV[o + 8]) end
    -- Only small fields go in the record (it stays a compact listpack), written in one HSET; the
    -- payload goes in `data`.
    local fields = { "n", ARGV[o + 1], "p", priority, "m", ARGV[o + 5], "ct", now }
    local function field(name, value) fields[#fields + 1] = name; fields[#fields + 1] = value end
    payloads[#payloads + 1] = id
    payloads[#payloads + 1] = ARGV[o + 2]
    if ARGV[o] ~= "" then
      -- An explicit id may be reused after its old record expired: its stale completed entry must
      -- not take the new payload with it when that index is trimmed.
      redis.call("ZREM", base .. "completed", id)
    end
    if ARGV[o + 3] ~= "1" then field("v", ARGV[o + 3]) end
    if ARGV[o + 6] ~= "" then field("t", ARGV[o + 6]) end
    if ARGV[o + 9] ~= "" then field("g", ARGV[o + 9]) end
    if uniqueKey ~= "" then
      local ttl = tonumber(ARGV[o + 11])
      if ttl > 0 then
        redis.call("SET", base .. "unique:" .. uniqueKey, id, "PX", ttl)
      else
        redis.call("SET", base .. "unique:" .. uniqueKey, id)
        field("u", uniqueKey)
      end
    end

    local pending = 0
    local failedParent = nil
    if ARGV[o + 12] ~= "" then
      local policy = ARGV[o + 13]
      field("dp", policy)
      for parent in string.gmatch(ARGV[o + 12], "[^,]+") do
        local ps = redis.call("HGET", base .. "job:" .. parent, "s")
        if ps == "dead" or ps == "cancelled" then
          if policy == "fail" then failedParent = parent end
        elseif ps ~= "completed" then
          redis.call("SADD", base .. "children:" .. parent, id)
          redis.call("HSET", base .. "job:" .. parent, "ch", 1)
          pending = pending + 1
        end
      end
    end

    if failedParent then
      local err = cjson.encode({ attempt = 0, name = "ParentFailed", message = "parent job " .. failedParent .. " failed", at = now })
      field("s", "dead"); field("fin", now); field("e", err)
      redis.call("RPUSH", base .. "errors:" .. id, err)
      redis.call("ZADD", base .. "dead", now, id)
    elseif pending > 0 then
      field("s", "blocked"); field("pd", pending)
      if due ~= nil then field("da", due) end
    elseif due ~= nil and due > now then
      field("s", "delayed"); field("da", due)
      delayed[#delayed + 1] = due
      delayed[#delayed + 1] = id
    else
      -- No state field: a record without one is waiting. It keeps the record of a waiting job, the
      -- kind a backlog is made of, 16 bytes smaller (one small-hash size class down).
      local list = waiting[priority]
      list[#list + 1] = id
    end
    redis.call("HSET", key, unpack(fields))
  end
  out[#out + 1] = id
  out[#out + 1] = created
end

-- In chunks: Lua's unpack (and so a variadic call) takes a few thousand values at most.
local function each(values, size, call)
  for first = 1, #values, size do call(unpack(values, first, math.min(#values, first + size - 1))) end
end
each(payloads, 2000, function(...) redis.call("HSET", base .. "data", ...) end)
-- Idle workers block on the marker. A worker only idles after finding every list empty, so it is
-- woken when a list goes from empty to not (LPUSH returns the length: the list was empty when it
-- equals the number pushed) or a job is delayed (its due time may come before the one the worker
-- waits for); while lists are not empty the busy workers' fetches pass the work on.
local wake = #delayed > 0
for p = 0, 4 do
  local list = waiting[p]
  if #list > 0 then
    local pushed = 0
    each(list, 1000, function(...)
      local n = select("#", ...)
      if redis.call("LPUSH", KEYS[4 + p], ...) == pushed + n then wake = true end
      pushed = pushed + n
    end)
  end
end
each(delayed, 2000, function(...) redis.call("ZADD", KEYS[2], ...) end)
if wake then redis.call("ZADD", KEYS[3], 0, "0") end
return out
