--[[
  Included by fetch-10.lua and complete-12.lua, after publish-event.lua, job-record.lua, lease.lua
  and pending-job.lua: `fetchJobs` leases up to `want` jobs to a worker. Every lease goes into the
  queue's `leases` hash (lease.lua), all of a call's with one HSET. A pending job (pending-job.lua)
  gets no record here: its own fields stay ahead of its payload (pending-job.lua: leased from the
  pending form). A job with a whole record has its state, attempt, worker and start time written
  there too. One put off by a rate limit gets its whole record and its bare payload.
  See fetch-10.lua for the rules (promotion of due jobs, weighted-fair priorities, rate limits,
  leases). `k` names the keys: delayed, active, marker, wait (a table indexed 0..4), fair, leases.
  Returns { nextDueInMs (-1 when nothing is delayed), now, token (false when nothing was leased),
            broken (false, or what is wrong with a key of the queue), then 2 fields per job }
  (fetch-10.lua lists them).

  A key of the wrong type (WRONGTYPE: written by hand, or by another program) breaks only what it
  holds: a job record is dead-lettered with the reason, a wait list or the delayed index is passed
  over, and a key every lease needs (active, leases, data) gives the jobs back untouched. The reply
  says which key, so the worker can report it; the rest of the queue keeps running.
]]
-- A member of `active` that is no job (it has spaces; job ids have none) and is longer than 64 bytes,
-- scored +inf: a sorted set holding one such member keeps Redis's skiplist encoding whatever its
-- size. Without it `active`, at most a few hundred members while workers run, is a listpack (up to
-- zset-max-listpack-entries, 128) where every ZADD and ZREM of a lease scans the whole set: with a
-- hundred jobs running that was a fifth of a drained job's Redis time. Everything that reads
-- `active` reads scores below +inf (store/active-index.ts); expired leases are found by score.
local ACTIVE_ANCHOR = "taskq keeps this lease index in the skiplist encoding with this member (never a job id)"

-- The order wait lists are popped in without weights: most urgent first; with one non-empty list,
-- normal (2) first (see `pick`).
local PRIORITY_ORDER = { 0, 1, 2, 3, 4 }
local ONE_LIST_ORDER = { 2, 0, 1, 3, 4 }
-- An empty list, shared (never written).
local NONE = {}

-- The head of a pending entry (pending-job.lua) cut in two: its creation time and the rest, "n|p|m|v|t",
-- and that rest's fields.
local PENDING_HEAD = "^\1(%d+)|([^\n]*)\n"
local PENDING_REST = "^([^|]*)|[0-4]|(%d+)|(%d*)|(%d*)$"

-- The job name of a pending entry, judged as `pendingEntry` and `malformation` would judge it, or
-- false and the reason. A fetch leases a pending job on its name alone: the worker reads the rest
-- from the entry itself (store/fetch.ts), which the reply carries whole. The jobs of one type share
-- all but their creation time, so that rest is judged once per call (`good.heads`), and a job costs
-- one short match instead of seven captures, two tables, the checks and a copy of its payload.
local function pendingName(entry, good)
  local ct, rest = string.match(entry, PENDING_HEAD)
  local heads = good.heads
  -- A creation time of at most 15 digits is a count (job-record.lua `isCount`).
  local n = heads and ct and #ct <= 15 and heads[rest]
  if n then return n end
  local m, v, t
  if ct then n, m, v, t = string.match(rest, PENDING_REST) end
  if not n then return false, PENDING_GARBLED end
  local wrong = malformation({ n, v ~= "" and v, m, t ~= "" and t, ct }, good)
  if wrong then return false, wrong end
  if #ct <= 15 then
    if not heads then
      heads = {}
      good.heads = heads
    end
    heads[rest] = n
  end
  return n
end

local function fetchJobs(base, k, workerId, leaseMs, want, wantText, promoteLimit, weightsArg, limitsArg, tokenArg, now, nowText)
  local wanted = want
  -- What is broken (the first key found of the wrong type), for the reply.
  local broken = false
  local function brokenKey(key, err)
    if not broken then broken = key .. ": " .. err end
  end

  -- Numbers given to redis.call are formatted with sprintf (Redis 7.0), once per argument: constant
  -- ones are written as text, and ARGV's (promoteLimit, leaseMs) are passed on as the text they are.
  local first = redis.pcall("ZRANGE", k.delayed, "0", "0", "WITHSCORES")
  local delayedOk = not failure(first)
  if not delayedOk then
    brokenKey(k.delayed, failure(first))
    first = {}
  end
  local due = NONE
  if first[2] and tonumber(first[2]) <= now then
    due = redis.call("ZRANGEBYSCORE", k.delayed, "-inf", nowText, "LIMIT", "0", promoteLimit)
  end
  for _, id in ipairs(due) do
    local key = base .. "job:" .. id
    local exists = redis.call("EXISTS", key) == 1
    local pushed = not exists
    if exists then
      local p = redis.pcall("HGET", key, "p")
      local err = failure(p)
      if err then
        pushed = true
        deadLetter(base, key, id, "it is not a hash (" .. err .. ")", now)
      else
        local list = k.wait[priorityOf(p)]
        err = failure(redis.pcall("LPUSH", list, id))
        if err then
          -- Its wait list is broken: it stays delayed, looked at again in a second rather than at
          -- every fetch.
          brokenKey(list, err)
          redis.call("ZADD", k.delayed, now + 1000, id)
        else
          pushed = true
          redis.call("HSET", key, "s", "waiting")
          redis.call("HDEL", key, "da")
        end
      end
    end
    if pushed then redis.call("ZREM", k.delayed, id) end
  end

  -- How many lists hold jobs (a list exists only while it does). Weighted-fair picking needs every
  -- length, but only when two or more lists hold jobs; otherwise the lists are popped in order and a
  -- pop that comes back short shows its list empty, so an idle queue costs one call and a single
  -- busy list none beyond its pops. `lens[p]` is then UNKNOWN until a pop tells. A list of the wrong
  -- type counts as empty.
  local UNKNOWN = 1e15
  local nonEmpty = redis.call("EXISTS", k.wait[0], k.wait[1], k.wait[2], k.wait[3], k.wait[4])
  local lens = { [0] = 0, 0, 0, 0, 0 }
  local measured = weightsArg ~= "" and nonEmpty > 1
  if measured then
    for p = 0, 4 do
      local n = redis.pcall("LLEN", k.wait[p])
      if failure(n) then
        brokenKey(k.wait[p], failure(n))
        n = 0
      end
      lens[p] = n
    end
  elseif nonEmpty > 0 then
    for p = 0, 4 do lens[p] = UNKNOWN end
  end
  local found = 0
  local weights = nil
  local credit = nil
  local fairOk = true
  if measured then
    -- With one priority holding work, or none, weighted-fair and strict agree: the credit state is
    -- neither read nor written. What it holds from an earlier mix only shifts where the next round
    -- starts (credits always sum to zero), not the shares over time.
    weights = {}
    local p = 0
    for w in string.gmatch(weightsArg, "[^,]+") do weights[p] = tonumber(w); p = p + 1 end
    local c = redis.pcall("HMGET", k.fair, "0", "1", "2", "3", "4")
    credit = {}
    if failure(c) then
      -- Without its state the choice starts afresh each call: shares hold within a call only.
      brokenKey(k.fair, failure(c))
      fairOk = false
      for q = 0, 4 do credit[q] = 0 end
    else
      for q = 0, 4 do credit[q] = tonumber(c[q + 1] or "0") or 0 end
    end
  end
  local limits = nil
  if limitsArg ~= "" then limits = cjson.decode(limitsArg) end

  -- The next priority to serve, or nil when every list is empty.
  -- With one list holding jobs, the order lists are tried in cannot change which serves: the
  -- default priority's list first, so the usual queue pops no empty list before its own.
  local order = nonEmpty == 1 and ONE_LIST_ORDER or PRIORITY_ORDER
  local function pick()
    if not weights then
      for i = 1, 5 do
        local p = order[i]
        if lens[p] > 0 then return p end
      end
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

  -- The rate limiter is a sliding log: per job name and group (job field g), a list of the start
  -- times of its last runs, as many as its largest limit. A window of W ms allows at most m runs,
  -- wherever it starts, exactly when the m-th most recent start lies W or more in the past; so only
  -- the last m starts matter, and a limited job may run again at that start + W (to the ms). A
  -- minIntervalMs is the window (minIntervalMs, 1). The clock is Redis's TIME, shifted by `o` (0
  -- but in tests, see rate-limits.ts); due times in `delayed` stay on Redis time.
  local limitOffset = limits and limits.o or 0
  local limitNow = now + limitOffset
  -- How many jobs of each log this call put off so far: the k-th (0-based) can start no sooner than
  -- the k-th start from now can, so each gets its own due time and a backlog comes due one job at a
  -- time rather than all at once, only to be put off again.
  local putOff = limits and {}
  -- The earliest due time a limit gave in this call, to wake an idle worker for it (see the end).
  local limitedFirst = nil

  -- When a job of this name and group may run next (Redis time), or 0 if now (and then its start
  -- is logged).
  -- `group`: the job's rate-limit group when known ("" for a pending job), else nil (read from its record).
  -- Made only when the worker has limits (a closure made on every call is a cost of every call).
  local limitedUntil = limits and function(key, name, group)
    local limit = limits.j[name]
    -- A limited job waits in `delayed`: while that key is broken, limits are not enforced rather
    -- than the queue stopped.
    if not limit or not delayedOk then return 0 end
    local log = base .. "limit:" .. name .. ":" .. (group or redis.call("HGET", key, "g") or "")
    -- Jobs of this log this call put off before this one.
    local ahead = putOff[log] or 0
    local untilMs = 0
    for _, w in ipairs(limit.w) do
      -- The start `ahead` places from now comes W after the start m places before it: the log's
      -- entry (ahead mod m) places after its m-th most recent, one more W on per m starts ahead.
      local m = w[2]
      local before = redis.pcall("LINDEX", log, -m + ahead % m)
      -- A log of the wrong type: this name and group go unlimited rather than the queue stopped.
      if failure(before) then
        brokenKey(log, failure(before))
        return 0
      end
      if before then
        local at = tonumber(before) + w[1] * (1 + math.floor(ahead / m))
        if at > limitNow and at > untilMs then untilMs = at end
      end
    end
    if untilMs > 0 then
      untilMs = untilMs - limitOffset
      putOff[log] = ahead + 1
      if limitedFirst == nil or untilMs < limitedFirst then limitedFirst = untilMs end
      return untilMs
    end
    if redis.call("RPUSH", log, limitNow) > limit.n then redis.call("LTRIM", log, -limit.n, -1) end
    redis.call("PEXPIRE", log, limit.x)
    return 0
  end

  -- Leased jobs' ids, their `active` scores and their `leases` entries, written once per call (ZADD,
  -- HSET), not once per job. What only a lease needs is made at the first lease (`token` set): a call
  -- that leases nothing, as most completions' and an idle worker's, makes none of it (each table, each
  -- string and its garbage is a cost of every call, about what a Redis command's is).
  local out = { -1, now, false, false }
  local token = nil
  local dataKey = base .. "data"
  local leasedIds, leaseUntil, leaseTail
  -- ZADD arguments for `active`: its anchor, then each leased job's expiry and id.
  local activeArgs
  -- HSET arguments for `leases`: its anchor (lease.lua), then each leased job's id and lease; the
  -- parts every lease of the call shares joined once.
  local leaseArgs
  -- Per leased job, 4 values: the priority list it came from, its attempt before (or false), whether
  -- it is pending, and where its payload is in `out`: what giving it back takes (see the end).
  local undo
  -- Per leased job, its name and attempt, for its `started` event: only when anybody hears them.
  local heard, started
  local goodFields
  -- Pending jobs given their whole record in this call (put off by a rate limit): their bare
  -- payloads, written back to `data` once.
  local bare
  local tries = want + 100
  while want > 0 and tries > 0 do
    tries = tries - 1
    local p = pick()
    if p == nil then break end
    -- Without weights the same list serves until it is empty: pop as many as are wanted at once.
    local n = 1
    if not weights then n = math.min(want, lens[p]) end
    -- The count as text: ARGV's own for a first pop of all that is wanted, as is usual (see above).
    local ids = redis.pcall("RPOP", k.wait[p], n == wanted and wantText or n)
    if failure(ids) then
      brokenKey(k.wait[p], failure(ids))
      ids = {}
      n = 1
    end
    ids = ids or {}
    if #ids < n then lens[p] = 0 else lens[p] = lens[p] - n end
    if not measured and #ids > 0 then
      found = found + 1
      -- Every list that held jobs was found and this one is empty now: so are the rest.
      if found == nonEmpty and lens[p] == 0 then lens = { [0] = 0, 0, 0, 0, 0 } end
    end
    -- The popped jobs' data entries, once for all of them (in chunks: Lua's unpack, and so a
    -- variadic call, takes a few thousand values at most): a pending job's holds its fields.
    local entries = {}
    for first = 1, #ids, 1000 do
      local last = math.min(#ids, first + 999)
      local chunk = redis.pcall("HMGET", dataKey, unpack(ids, first, last))
      if failure(chunk) then
        -- Every lease needs its payload: the jobs go back to the end they were popped from, as
        -- they were, and none is handed out while `data` is broken.
        brokenKey(dataKey, failure(chunk))
        for j = #ids, 1, -1 do redis.call("RPUSH", k.wait[p], ids[j]) end
        ids = {}
        lens = { [0] = 0, 0, 0, 0, 0 }
        break
      end
      for j = first, last do entries[j] = chunk[j - first + 1] end
    end
    -- Each job popped counts as a try: rate-limited jobs moved aside bound the call like leased ones.
    tries = tries - math.max(0, #ids - 1)
    if #ids > 0 and not goodFields then goodFields = { names = {}, counts = {} } end
    for j, id in ipairs(ids) do
      local key = base .. "job:" .. id
      local entry = entries[j]
      -- A pending entry starts with byte 1 (pending-job.lua); a stored payload never does.
      local pending = type(entry) == "string" and string.byte(entry, 1) == 1
      -- f: the record's fields (a pending job has none: it has never run and has no trace).
      local name, f, wrong
      if pending then
        name, wrong = pendingName(entry, goodFields)
      else
        f = redis.pcall("HMGET", key, "n", "v", "m", "t", "ct", "a", "tc")
        if failure(f) then
          wrong = "it is not a hash (" .. failure(f) .. ")"
        else
          wrong = (f[1] or f[3] or f[5] or f[6] or redis.call("EXISTS", key) == 1) and malformation(f, goodFields)
          name = f[1]
        end
      end
      if wrong then
        -- Dead-lettered with the reason instead of lost (or failing this whole fetch).
        local err = deadLetter(base, key, id, wrong, now)
        if err then brokenKey(base .. "dead", err) end
      elseif name then
        local untilMs = limitedUntil and limitedUntil(key, name, pending and "") or 0
        -- A pending job put off by a rate limit gets its record here; its key may hold a value of
        -- another type (by hand): that job is dead-lettered with the reason, the others go on.
        local recordErr = nil
        local leased = leasedIds and #leasedIds + 1 or 1
        -- As text: a number given to Redis or joined into a string is formatted with sprintf, and
        -- a first attempt, the usual case, needs none.
        local prior = f and f[6]
        local attempt = prior and tostring(tonumber(prior) + 1) or "1"
        if untilMs > 0 then
          if pending then
            local pf, at = pendingEntry(entry)
            local args = { "s", "delayed", "da", untilMs }
            recordErr = failure(redis.pcall("HSET", key, unpack(args, 1, pendingRecordArgs(pf, args, 4))))
            if not recordErr then
              bare = bare or {}
              bare[#bare + 1] = id
              bare[#bare + 1] = string.sub(entry, at)
            end
          else
            redis.call("HSET", key, "s", "delayed", "da", untilMs)
          end
          if not recordErr then redis.call("ZADD", k.delayed, untilMs, id) end
        elseif not pending then
          -- A pending job's lease is all it gets (below, in `leases`): its own fields stay in its
          -- pending entry (pending-job.lua, "leased from the pending form"), so a first attempt writes
          -- no record and its payload is not written back; most such jobs complete and never need
          -- the rest. A whole record holds the lease's state as well, for its readers.
          redis.call("HSET", key, "s", "active", "a", attempt, "w", workerId, "st", nowText)
        end
        if recordErr then
          local err = deadLetter(base, key, id, "its record key is not a hash (" .. recordErr .. ")", now)
          if err then brokenKey(base .. "dead", err) end
        end
        if untilMs == 0 and not recordErr then
          if token == nil then
            out[3] = tokenArg
            token = tokenArg .. "."
            leasedIds, undo = {}, {}
            leaseUntil = tostring(now + tonumber(leaseMs))
            activeArgs = { "+inf", ACTIVE_ANCHOR }
            leaseArgs = { LEASES_ANCHOR, "1" }
            leaseTail = "|" .. nowText .. "|" .. workerId
            heard = jobEventsHeard(base)
            if heard then started = {} end
          end
          leasedIds[leased] = id
          if heard then
            started[2 * leased - 1] = name
            started[2 * leased] = attempt
          end
          local u = 4 * leased
          undo[u - 3] = p
          undo[u - 2] = prior or false
          undo[u - 1] = pending
          activeArgs[2 * leased + 1] = leaseUntil
          activeArgs[2 * leased + 2] = id
          leaseArgs[2 * leased + 1] = id
          leaseArgs[2 * leased + 2] = token .. id .. (pending and "|0|" or "|1|") .. attempt .. leaseTail
          local o = #out
          if pending then
            -- Its id and its entry as it is: the worker reads the fields ahead of the payload, which
            -- were judged above (store/fetch.ts). Its attempt is the first.
            out[o + 1] = id
            out[o + 2] = entry
          else
            -- One string for the job's small fields rather than seven values: the reply, and its
            -- decoding in the worker, cost about as much per value as per byte. The id goes last: the
            -- other fields were checked to hold no "|" (a name is a name, the rest numbers), and an
            -- id written by hand may hold one.
            -- The trace context (tc, written only by a tracing producer) holds no "|" as enqueue-8.lua
            -- wrote it; one written by hand that does is left out rather than let it split the fields.
            local tc = f[7]
            if tc and string.find(tc, "|", 1, true) then tc = nil end
            out[o + 1] = (f[2] or "") .. "|" .. attempt .. "|" .. (f[3] or "1") .. "|" .. (f[4] or "") .. "|" .. (f[5] or "0") .. "|" .. (tc or "") .. "|" .. name .. "|" .. id
            out[o + 2] = entry or false
          end
          undo[u] = o + 2
          want = want - 1
        end
      end
    end
  end
  -- The pending jobs given their whole record keep their bare payload in `data`, as every other job does.
  if bare then
    for first = 1, #bare, 2000 do redis.call("HSET", dataKey, unpack(bare, first, math.min(#bare, first + 1999))) end
  end
  for first = 1, leasedIds and #leasedIds or 0, 1000 do
    local last = math.min(#leasedIds, first + 999)
    local brokenAt = nil
    -- The first chunk of each carries its anchor ahead of its jobs: one call, not one more per fetch.
    local from = first == 1 and 1 or 2 * first + 1
    local err = failure(redis.pcall("HSET", k.leases, unpack(leaseArgs, from, 2 * last + 2)))
    if err then
      brokenAt = k.leases
    else
      err = failure(redis.pcall("ZADD", k.active, unpack(activeArgs, from, 2 * last + 2)))
      if err then
        brokenAt = k.active
        redis.call("HDEL", k.leases, unpack(leasedIds, first, last))
      end
    end
    if err then
      brokenKey(brokenAt, err)
      -- A lease needs its `leases` and `active` entries: the jobs go back to the front of their
      -- lists as they were (a pending one had nothing written), and none of them is handed out (the
      -- reply keeps only the chunks leased before).
      for j = last, first, -1 do
        local key = base .. "job:" .. leasedIds[j]
        local u = 4 * j
        if not undo[u - 1] then
          redis.call("HDEL", key, "w", "st")
          redis.call("HSET", key, "s", "waiting")
          if undo[u - 2] then redis.call("HSET", key, "a", undo[u - 2]) else redis.call("HDEL", key, "a") end
        end
        redis.call("RPUSH", k.wait[undo[u - 3]], leasedIds[j])
      end
      -- No other worker is woken for them: its fetch would fail the same way. An enqueue into an empty
      -- list does, or an idle worker's blocking read timing out (5 s), once the key is mended.
      lens = { [0] = 0, 0, 0, 0, 0 }
      for j = #out, undo[4 * first] - 1, -1 do out[j] = nil end
      if first == 1 then out[3] = false end
      break
    end
    if heard then
      for j = first, last do jobEvent(base, "started", leasedIds[j], started[2 * j - 1], started[2 * j]) end
    end
  end
  if weights and fairOk then redis.call("HSET", k.fair, "0", credit[0], "1", credit[1], "2", credit[2], "3", credit[3], "4", credit[4]) end

  -- Work is left (this worker took all it could, or the call ran out of tries on rate-limited
  -- jobs): wake another idle worker.
  for p = 0, 4 do
    if lens[p] > 0 then
      local err = failure(redis.pcall("ZADD", k.marker, "0", "0"))
      if err then brokenKey(k.marker, err) end
      break
    end
  end

  -- Rate-limit waits may have added due times; otherwise the first look stands.
  local next = first
  if delayedOk and (#due > 0 or limits) then next = redis.call("ZRANGE", k.delayed, "0", "0", "WITHSCORES") end
  if next[2] then out[1] = math.max(0, tonumber(next[2]) - now) end
  -- A limit made a job due sooner than the delayed job idle workers last heard of (or a due one
  -- was just promoted, which they may never have heard of): wake one, so its fetch re-arms its timer
  -- for that moment. This worker may have filled its slots and not be waiting at all.
  if limitedFirst and not (first[2] and tonumber(first[2]) > now and tonumber(first[2]) <= limitedFirst) then
    redis.call("ZADD", k.marker, "0", "0")
  end
  out[4] = broken
  return out
end
