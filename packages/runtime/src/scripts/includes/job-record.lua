--[[
  Included by fetch-10.lua and complete-12.lua before fetch-jobs.lua: how a fetch judges a job record
  before it leases it. Records can be written by hand or by other programs; one that a worker cannot
  run as it is goes to the dead-letter queue with the reason, never retried for ever, never lost, and
  never failing the fetch of the other jobs.
]]
-- The error of a redis.pcall that failed (a WRONGTYPE reply), or nil.
local function failure(reply)
  if type(reply) == "table" and reply.err then return reply.err end
  return nil
end

-- A record's priority, 0..4; a missing or garbled one counts as normal (2) rather than losing the job.
local function priorityOf(p)
  local n = tonumber(p)
  if n and n >= 0 and n <= 4 and n == math.floor(n) then return n end
  return 2
end

-- Text that is a whole number of at most 15 digits (every double holds it exactly; no sign, no
-- exponent, no "inf"/"nan", which Lua's tonumber would take).
local function isCount(text)
  return #text <= 15 and string.find(text, "^%d+$") ~= nil
end

-- Text that is a finite number from `min` to `max`.
local function isNumberIn(text, min, max)
  local n = tonumber(text)
  return n ~= nil and n >= min and n <= max
end

-- What is wrong with a job record a worker cannot run as it is (hand-written, or corrupted), or nil.
-- Every field the reply carries is checked, so none holds the "|" that separates them there, and a
-- garbled count cannot make a job retry for ever. `good` holds the names (`good.names`) and positive
-- counts (`good.counts`: versions, max attempts) already found good in this call: the jobs of one
-- fetch mostly share them, and a table lookup costs a fraction of a pattern match.
-- f: n, v, m, t, ct, a
local function malformation(f, good)
  local name = f[1]
  if not name then return "it has no job name" end
  if not good.names[name] then
    if #name > 64 or not string.find(name, "^[%w._-]+$") then return "its job name is not a valid name (1 to 64 of A-Z a-z 0-9 . _ -)" end
    good.names[name] = true
  end
  local v, m, counts = f[2], f[3], good.counts
  if v and not counts[v] then
    if not (isCount(v) and tonumber(v) >= 1) then return "its payload version is not a positive whole number" end
    counts[v] = true
  end
  if m and not counts[m] then
    if not (isCount(m) and tonumber(m) >= 1) then return "its max attempts is not a positive whole number" end
    counts[m] = true
  end
  if f[4] and not (isNumberIn(f[4], 0, 2147483647) and tonumber(f[4]) > 0) then return "its timeout is not a number of ms from 1 to 2^31 - 1" end
  -- Digits first: a creation time is nearly always a whole number, and a pattern costs a fraction of
  -- the strtod that tonumber is.
  if f[5] and not (isCount(f[5]) or isNumberIn(f[5], 0, 9007199254740991)) then return "its creation time is not a number" end
  if f[6] and not isCount(f[6]) then return "its attempt count is not a whole number" end
  return nil
end

-- Dead-letters job `id` with the reason. Its record may not be a hash (WRONGTYPE): the dead-letter
-- index and the error list still say why. Returns the error when the dead-letter index is broken too.
local function deadLetter(base, key, id, reason, now)
  local err = cjson.encode({ attempt = 0, name = "MalformedRecord", message = "malformed job record: " .. reason, at = now })
  redis.pcall("HSET", key, "s", "dead", "fin", now, "e", err)
  redis.pcall("RPUSH", base .. "errors:" .. id, err)
  return failure(redis.pcall("ZADD", base .. "dead", now, id))
end

