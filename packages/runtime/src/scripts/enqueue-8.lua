--[[
  Adds one or more jobs atomically. Everything that could refuse the call or fail it part-way (a
  missing parent, a malformed argument, a key of the wrong type) is checked before the first write,
  or, for a plain call, undone (see "Keys of the wrong type" below), and the client has validated
  every payload before calling, so a call writes all its jobs or none: Redis does not undo a
  script's writes when it fails, so a failure after the first would leave records no list holds.

  KEYS[1]    seq        counter of auto ids
  KEYS[2]    delayed    ZSET id -> due ms
  KEYS[3]    marker     wakes one idle worker
  KEYS[4..8] wait:0..4  one list per priority

  ARGV[1] base   the queue's key prefix "<prefix>:{<queue>}:"
  ARGV[2] count  number of jobs
  then per job, 4 fields: id ("" = auto), name, payload, and the rest joined by "|":
    version|priority (0..4)|maxAttempts|timeoutMs ("" = the job type's)|runAtMs ("" = none)|
    delayMs ("" = none)|unique key ("" = none)|unique ttl ms ("0" = until the job ends)|
    parents (comma-separated ids of this queue, "" = none)|parent failure policy ("fail" | "ignore")|
    trace context ("" = none: the producer's W3C trace context, as JSON with any "|" escaped, kept
    in the record as `tc` for the worker's span; see tracing/trace-carrier.ts)|
    rate-limit group ("" = none; last, as the only one that may itself hold a "|")
  Each argument costs the client and Redis about as much as a short string's worth of work, so the
  rarely set options travel as one; the jobs of one bulk mostly share that string, parsed once.

  A job with parents waits in state "blocked" until every parent completed (on-job-ended.lua
  releases it). A parent that is or becomes dead or cancelled fails it with the reason, or, with the
  policy "ignore", counts as done. Parents must exist: in Redis or earlier in the same call.

  Returns a flat array: id1, created1 (1 new, 0 existing), ...; or { "missing", index, parentId }.
  When every job of the call got a counted id (no explicit id, no unique key: the usual case, and all
  of them new), only the first id, as { firstId }: the i-th job's id is firstId + i - 1. A bulk's
  reply is then one number instead of two values per job.
  An explicit id, or a unique key, that already names a job returns that job untouched.

  A plain job (counted id; no unique key, parents, delay, rate-limit group or trace context) is
  written in the pending form: no record, its fields ahead of its payload in `data` (pending-job.lua).

  Redis's time per call is most of an enqueue's cost, so tables and functions are made once per call,
  not once per job.

  Keys of the wrong type. A call with an explicit id, a unique key or parents checks the type of
  every key it may write (TYPE) before its first write, as those writes (SET, ZREM, SADD, a parent's
  HSET) would be hard to take back. A plain call (every job with a counted id, no unique key, no
  parents: the usual enqueue) instead writes with pcall and, when a write meets a key of the wrong
  type, takes back what it wrote before answering the same refusal: its writes are the id counter
  (INCRBY, the first write, which fails on its own), new records (DEL), new payload fields (HDEL),
  pushes to the head of a wait list (LTRIM), new delayed entries (ZREM) and the marker (last).
  Nothing runs between a script's commands, so no one sees the writes taken back; the happy path
  saves three TYPE calls of the nine a single enqueue made.
]]
-- @include publish-event.lua
-- @include lease.lua
-- @include pending-job.lua
local base = ARGV[1]
local count = tonumber(ARGV[2])
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowText = tostring(now)

-- Each job's options, from its "|"-joined field, parsed once per distinct string.
local OPTIONS = "^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$"

-- Text that is a whole number of at most 15 digits (exact as a double; no sign, exponent, inf, nan).
local function isCount(text)
  return #text <= 15 and string.find(text, "^%d+$") ~= nil
end
-- "" or a finite number from min to max.
local function isOptionalNumber(text, min, max)
  if text == "" then return true end
  local n = tonumber(text)
  return n ~= nil and n >= min and n <= max
end
-- What is wrong with one job's options, or nil. The worker's fetch reads these fields back and
-- dead-letters a record whose fields are not of these forms (see job-record.lua).
local function optionsProblem(o)
  if not (isCount(o.v) and tonumber(o.v) >= 1) then return "version is not a positive whole number" end
  if not string.find(o.p, "^[0-4]$") then return "priority is not 0 to 4" end
  if not (isCount(o.m) and tonumber(o.m) >= 1) then return "max attempts is not a positive whole number" end
  if not (isOptionalNumber(o.timeout, 0, 2147483647) and o.timeout ~= "0") then return "timeoutMs is not a number from 1 to 2^31 - 1" end
  if not isOptionalNumber(o.runAt, -8.64e15, 8.64e15) then return "runAtMs is not a time" end
  if not isOptionalNumber(o.delay, 0, 9007199254740991) then return "delayMs is not a number from 0 to 2^53 - 1" end
  if not (o.uniqueTtl and o.uniqueTtl >= 0 and o.uniqueTtl <= 9007199254740991) then return "unique ttl is not a number of ms" end
  if not string.find(o.parents, "^[%w._:,-]*$") then return "parents are not job ids" end
  if o.policy ~= "fail" and o.policy ~= "ignore" then return "parent failure policy is not fail or ignore" end
  if #o.trace > 1024 then return "trace context is over 1024 bytes" end
  return nil
end
local function refuse(i, problem)
  return redis.error_reply("taskq: enqueue of job " .. i .. " refused, nothing written: " .. problem)
end

local parsed = {}
-- Job names already checked in this call (a bulk's jobs mostly share one), and what the call may write.
local names = {}
local usedLists = {}
local anyTimed, anyExplicit, anyUnique = false, false, false
local optionsOf = {}
local counted = 0
local anyParents = false
for i = 1, count do
  local o = i * 4 - 1
  local text = ARGV[o + 3]
  local opts = parsed[text]
  if not opts then
    local v, p, m, timeout, runAt, delay, unique, uniqueTtl, parents, policy, trace, group = string.match(text, OPTIONS)
    if not v then return refuse(i, "its options are not 12 fields joined by |") end
    opts = { v = v, p = p, priority = tonumber(p), m = m, timeout = timeout, runAt = runAt, delay = delay, unique = unique,
      uniqueTtl = tonumber(uniqueTtl), parents = parents, policy = policy, trace = trace, group = group }
    local problem = optionsProblem(opts)
    if problem then return refuse(i, problem) end
    -- Jobs with these options (and a counted id) are stored in the pending form (pending-job.lua),
    -- each behind the same header per job name, made once.
    if unique == "" and parents == "" and runAt == "" and delay == "" and group == "" and trace == "" then
      opts.heads = {}
      opts.tail = "|" .. p .. "|" .. m .. "|" .. (v ~= "1" and v or "") .. "|" .. timeout .. "\n"
    end
    parsed[text] = opts
  end
  local id, name = ARGV[o], ARGV[o + 1]
  if id ~= "" and (#id > 128 or not string.find(id, "^[%w._:-]+$")) then return refuse(i, "its id is not a job id") end
  if not names[name] then
    if #name > 64 or not string.find(name, "^[%w._-]+$") then return refuse(i, "its name is not a job name") end
    names[name] = true
  end
  optionsOf[i] = opts
  usedLists[opts.priority] = true
  if opts.runAt ~= "" or opts.delay ~= "" then anyTimed = true end
  if id ~= "" then anyExplicit = true end
  if opts.parents ~= "" then anyParents = true end
  if opts.unique ~= "" then anyUnique = true end
  -- Counted ids for the jobs that surely get one (no explicit id, no unique key), taken in one INCRBY.
  if ARGV[o] == "" and opts.unique == "" then counted = counted + 1 end
end

-- Every parent exists, in Redis or earlier in this call.
if anyParents then
  local earlier = {}
  for i = 1, count do
    local o = i * 4 - 1
    local parents = optionsOf[i].parents
    if parents ~= "" then
      for parent in string.gmatch(parents, "[^,]+") do
        if not earlier[parent] and redis.call("EXISTS", base .. "job:" .. parent) == 0 and not pendingEntry(redis.pcall("HGET", base .. "data", parent)) then
          return { "missing", i - 1, parent }
        end
      end
    end
    if ARGV[o] ~= "" then earlier[ARGV[o]] = true end
  end
end

-- A plain call takes its writes back on a key of the wrong type instead of checking first (header).
local plain = not (anyExplicit or anyUnique or anyParents)

-- Every key this call may write holds its type (or nothing): a key of another type would fail a
-- write after others were made. Three TYPE calls for a usual enqueue, whatever the number of jobs.
local function refuseType(key, t, expected)
  return redis.error_reply("taskq: enqueue refused, nothing written: key " .. key .. " holds a " .. t .. ", not a " .. expected .. " (fix or delete it)")
end
local function wrongType(key, expected)
  local t = redis.call("TYPE", key).ok
  if t ~= "none" and t ~= expected then return refuseType(key, t, expected) end
  return nil
end
local typeProblem = nil
if not plain then
  typeProblem = wrongType(base .. "data", "hash") or wrongType(KEYS[3], "zset")
    or (anyTimed and wrongType(KEYS[2], "zset")) or (anyExplicit and wrongType(base .. "completed", "zset"))
    or (anyParents and (wrongType(base .. "blocked", "zset") or wrongType(base .. "dead", "zset")))
  if typeProblem then return typeProblem end
end
-- A job with a unique key takes its id by INCR in the loop below; with no INCRBY before it (the
-- call's first write, which fails on its own), a counter that is not a number must refuse the call now.
if counted == 0 then
  local seq = redis.pcall("GET", KEYS[1])
  if type(seq) == "table" or (seq and not string.find(seq, "^%d+$")) then
    return redis.error_reply("taskq: enqueue refused, nothing written: key " .. KEYS[1] .. " does not hold a counter (fix or delete it)")
  end
end
for p = 0, 4 do
  if usedLists[p] and not plain then
    typeProblem = wrongType(KEYS[4 + p], "list")
    if typeProblem then return typeProblem end
  end
end
if anyParents then
  for i = 1, count do
    for parent in string.gmatch(optionsOf[i].parents, "[^,]+") do
      typeProblem = wrongType(base .. "job:" .. parent, "hash") or wrongType(base .. "children:" .. parent, "set")
      if typeProblem then return typeProblem end
    end
  end
end

-- A pending parent (pending-job.lua) gets its record now that nothing can refuse the call: its
-- children are noted on it.
if anyParents then
  for i = 1, count do
    for parent in string.gmatch(optionsOf[i].parents, "[^,]+") do materializeJob(base, parent) end
  end
end

local firstCounted = 0
if counted > 0 then firstCounted = redis.call("INCRBY", KEYS[1], counted) - counted + 1 end
local nextId = firstCounted - 1

-- What a plain call wrote, to take back (see the header): the records, and a step per other write.
local records = {}
local undo = {}
local function takeBack()
  for i = #undo, 1, -1 do undo[i]() end
  for first = 1, #records, 1000 do redis.call("DEL", unpack(records, first, math.min(#records, first + 999))) end
  -- The counter as it was: absent (or 0, the same to INCR) when the call took ids from 1.
  if firstCounted == 1 then redis.call("DEL", KEYS[1]) else redis.call("DECRBY", KEYS[1], counted) end
end
-- One write. A call that checked its keys' types makes it as usual; a plain call takes its writes
-- back when it fails (a key of the wrong type) and returns the refusal, which the caller returns.
local function write(expected, command, key, ...)
  if not plain then
    redis.call(command, key, ...)
    return nil
  end
  local reply = redis.pcall(command, key, ...)
  if type(reply) ~= "table" or not reply.err then return nil end
  takeBack()
  if string.find(reply.err, "WRONGTYPE", 1, true) then return refuseType(key, redis.call("TYPE", key).ok, expected) end
  return reply
end

-- Written once for the whole call rather than once per job: the payloads (one HSET on `data`), the
-- wait lists (one LPUSH per priority, in call order) and the delayed index.
local payloads = {}
local waiting = { [0] = {}, {}, {}, {}, {} }
local delayed = {}
local out = {}
local jobPrefix = base .. "job:"
-- Only an auto-id call's reply needs no per-job entries (see the header).
local full = counted < count
-- One table for every job's record fields, reused: the first 8 every record has, then `n` in all.
local fields = { "n", "", "p", "", "m", "", "ct", nowText }
local n = 8
local function field(name, value) fields[n + 1] = name; fields[n + 2] = value; n = n + 2 end
for i = 1, count do
  local o = i * 4 - 1
  local id = ARGV[o]
  local opts = optionsOf[i]
  local created = 1
  local key
  local uniqueKey = opts.unique
  -- A unique key of the wrong type names no job; the SET below replaces it.
  local existing = uniqueKey ~= "" and redis.pcall("GET", base .. "unique:" .. uniqueKey)
  if type(existing) == "table" then existing = false end
  if existing and redis.call("EXISTS", jobPrefix .. existing) == 1 then
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
    key = jobPrefix .. id
  else
    key = jobPrefix .. id
    if redis.call("EXISTS", key) == 1 then created = 0 end
  end

  if created == 1 and opts.heads and ARGV[o] == "" then
    -- A plain job: no record until its first lease, its fields ahead of its payload in `data`.
    local name = ARGV[o + 1]
    local head = opts.heads[name]
    if not head then
      head = "\1" .. nowText .. "|" .. name .. opts.tail
      opts.heads[name] = head
    end
    payloads[#payloads + 1] = id
    payloads[#payloads + 1] = head .. ARGV[o + 2]
    local list = waiting[opts.priority]
    list[#list + 1] = id
    jobEvent(base, "enqueued", id, name, "")
  elseif created == 1 then
    local due = nil
    if opts.runAt ~= "" then due = tonumber(opts.runAt) end
    if opts.delay ~= "" then due = now + tonumber(opts.delay) end
    -- Only small fields go in the record (it stays a compact listpack), written in one HSET; the
    -- payload goes in `data`.
    fields[2] = ARGV[o + 1]; fields[4] = opts.p; fields[6] = opts.m
    n = 8
    payloads[#payloads + 1] = id
    payloads[#payloads + 1] = ARGV[o + 2]
    if ARGV[o] ~= "" then
      -- An explicit id may be reused after its old record expired: its stale completed entry must
      -- not take the new payload with it when that index is trimmed.
      redis.call("ZREM", base .. "completed", id)
    end
    if opts.v ~= "1" then field("v", opts.v) end
    if opts.timeout ~= "" then field("t", opts.timeout) end
    if opts.group ~= "" then field("g", opts.group) end
    if opts.trace ~= "" then field("tc", opts.trace) end
    if uniqueKey ~= "" then
      local ttl = opts.uniqueTtl
      if ttl > 0 then
        redis.call("SET", base .. "unique:" .. uniqueKey, id, "PX", ttl)
      else
        redis.call("SET", base .. "unique:" .. uniqueKey, id)
        field("u", uniqueKey)
      end
    end

    local pending = 0
    local failedParent = nil
    if opts.parents ~= "" then
      local policy = opts.policy
      field("dp", policy)
      for parent in string.gmatch(opts.parents, "[^,]+") do
        local ps = redis.call("HGET", jobPrefix .. parent, "s")
        if ps == "dead" or ps == "cancelled" then
          if policy == "fail" then failedParent = parent end
        elseif ps ~= "completed" then
          redis.call("SADD", base .. "children:" .. parent, id)
          redis.call("HSET", jobPrefix .. parent, "ch", 1)
          pending = pending + 1
        end
      end
    end

    if failedParent then
      local err = cjson.encode({ attempt = 0, name = "ParentFailed", message = "parent job " .. failedParent .. " failed", at = now })
      field("s", "dead"); field("fin", now); field("e", err)
      -- A new job's error list: pcall, as a leftover key of another type must not fail the call here.
      redis.pcall("RPUSH", base .. "errors:" .. id, err)
      redis.call("ZADD", base .. "dead", now, id)
    elseif pending > 0 then
      field("s", "blocked"); field("pd", pending)
      -- Listed, so the inspector can show jobs waiting for their parents.
      redis.call("ZADD", base .. "blocked", now, id)
      if due ~= nil then field("da", due) end
    elseif due ~= nil and due > now then
      field("s", "delayed"); field("da", due)
      delayed[#delayed + 1] = due
      delayed[#delayed + 1] = id
    else
      -- No state field: a record without one is waiting. It keeps the record of a waiting job, the
      -- kind a backlog is made of, 16 bytes smaller (one small-hash size class down).
      local list = waiting[opts.priority]
      list[#list + 1] = id
    end
    local problem = write("hash", "HSET", key, unpack(fields, 1, n))
    if problem then return problem end
    if plain then records[#records + 1] = key end
    jobEvent(base, "enqueued", id, ARGV[o + 1], "")
    if failedParent then jobEvent(base, "dead", id, ARGV[o + 1], "") end
  end
  if full then
    out[#out + 1] = id
    out[#out + 1] = created
  end
end

-- In chunks: Lua's unpack (and so a variadic call) takes a few thousand values at most. Each chunk
-- adds the step that takes it back: the values at every other position from `from` are its members.
local function chunked(expected, command, key, values, size, from, takeBackChunk)
  for first = 1, #values, size do
    local last = math.min(#values, first + size - 1)
    local problem = write(expected, command, key, unpack(values, first, last))
    if problem then return problem end
    if plain then
      undo[#undo + 1] = function()
        local members = {}
        for i = first + from, last, 2 do members[#members + 1] = values[i] end
        takeBackChunk(key, members, last - first + 1)
      end
    end
  end
  return nil
end
local function hdel(_, members) redis.call("HDEL", base .. "data", unpack(members)) end
-- LPUSH put the chunk at the head of the list.
local function ltrim(key, _, pushed) redis.call("LTRIM", key, pushed, -1) end
local function zrem(key, members) redis.call("ZREM", key, unpack(members)) end
local problem = chunked("hash", "HSET", base .. "data", payloads, 2000, 0, hdel)
if problem then return problem end
for p = 0, 4 do
  if #waiting[p] > 0 then
    problem = chunked("list", "LPUSH", KEYS[4 + p], waiting[p], 1000, 0, ltrim)
    if problem then return problem end
  end
end
problem = chunked("zset", "ZADD", KEYS[2], delayed, 2000, 1, zrem)
if problem then return problem end
-- Wakes an idle worker (they block on the marker). On every write, not only when a list was empty:
-- a worker that took the last wake-up and died before fetching, or a job pushed by hand without
-- one, must not leave the queue asleep until the next blocking timeout. The last write that can
-- fail: nothing follows it to take back (SPUBLISH fails on no key's type).
if #payloads > 0 then
  problem = write("zset", "ZADD", KEYS[3], 0, "0")
  if problem then return problem end
end
publishJobEvents(base, now)
if full then return out end
return { firstCounted }
