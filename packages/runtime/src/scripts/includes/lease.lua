--[[
  Included by every script that reads or ends a lease (fetch-jobs.lua, complete, fail, heartbeat,
  reclaim-expired, and pending-job.lua's materializeJob): a job's lease lives in the queue's `leases`
  hash, field = job id, apart from its record, so a fetch writes all its leases with one HSET and a
  completion fences all its jobs with one HMGET, instead of a write and a read of each job's record.

      "<lease token>|<whole>|<attempt>|<startedAt ms>|<workerId>"

  The job's lease token is `<call token>.<id>` (fetch-10.lua); the call token holds no "." and no "|"
  (worker/lease-tokens.ts), so a reader that knows the id finds where the token ends. The token goes
  first so that fencing it, the check every completion and heartbeat makes, is one plain find at the
  start of the value and one byte, with no pattern match and no string built (Lua patterns cost
  thousands of instructions per value). `whole` is "1" when the job has a whole record (it was
  written whole, or was materialized while leased: pending-job.lua), which then holds its state,
  attempt, worker and start time as well; "0" when it was leased from the pending form and has no
  record (or only one a progress call wrote): its completion then writes those fields itself and
  reads nothing of the record. A worker id may hold "|": it goes last. The field goes when the lease
  ends (completed, failed, released, reclaimed), so a late worker's token matches nothing.
  store/lease.ts reads the same form.
]]
-- A field of `leases` that is no job (it has spaces; job ids have none) and is longer than 64 bytes:
-- a hash holding one such field keeps Redis's hashtable encoding whatever its size, as ACTIVE_ANCHOR
-- keeps `active` a skiplist (fetch-jobs.lua). Without it `leases`, at most a few hundred entries
-- while workers run and each lease well under 64 bytes, is a listpack (up to
-- hash-max-listpack-entries, 128) where every HSET, HMGET and HDEL of a lease scans the whole hash.
-- Every fetch that leases a job writes it (one field more in a call it makes anyway); nothing reads it.
local LEASES_ANCHOR = "taskq keeps this lease hash in the hashtable encoding with this field (never a job id)"

-- Whether lease `v` is held by the caller presenting `token` (the value starts with it, then "|"),
-- and then whether it is of a job leased from the pending form (`whole` "0").
local function leaseHeld(v, token)
  if type(v) ~= "string" or string.find(v, token, 1, true) ~= 1 then return false, false end
  local bar, whole = string.byte(v, #token + 1, #token + 2)
  return bar == 124, whole == 48
end

-- The attempt, start time and worker of lease `v` held by `token`, as text.
local function leaseState(v, token)
  local at = #token + 4
  -- A value garbled by hand that still starts with a live token gives "" rather than stop the batch.
  local q = string.find(v, "|", at, true) or #v + 1
  local r = string.find(v, "|", q + 1, true) or #v + 1
  return string.sub(v, at, q - 1), string.sub(v, q + 1, r - 1), string.sub(v, r + 1)
end

-- The start time and worker of lease `v` held by `token` of a job leased from the pending form: its
-- attempt is always 1 (a later one has a whole record), so one find fewer than leaseState.
local function pendingLeaseState(v, token)
  local at = #token + 6
  local r = string.find(v, "|", at, true) or #v + 1
  return string.sub(v, at, r - 1), string.sub(v, r + 1)
end

-- Job `id`'s lease value split: { token, whole, a, st, w }; nil for no lease or one garbled (by hand).
local function parseLease(v, id)
  if type(v) ~= "string" then return nil end
  local dot = string.find(v, ".", 1, true)
  if not dot or string.byte(v, dot + #id + 1) ~= 124 or string.byte(v, dot + #id + 3) ~= 124 then return nil end
  local token = string.sub(v, 1, dot + #id)
  local q = string.find(v, "|", dot + #id + 4, true)
  local r = q and string.find(v, "|", q + 1, true)
  if not r or q == dot + #id + 4 then return nil end
  local a, st, w = leaseState(v, token)
  return { token = token, whole = string.byte(v, dot + #id + 2) == 49, a = a, st = st, w = w }
end

-- The lease value of a job leased by `token` (its lease token); `whole` "1" or "0".
local function leaseValue(token, whole, attempt, startedAt, workerId)
  return token .. "|" .. whole .. "|" .. attempt .. "|" .. startedAt .. "|" .. workerId
end
