--[[
  Included by every script that reads or ends a lease (fetch-jobs.lua, complete, fail, heartbeat,
  reclaim-expired, and pending-job.lua's materializeJob): a job's lease lives in the queue's `leases`
  hash, field = job id, apart from its record, so a fetch writes all its leases with one HSET and a
  completion fences all its jobs with one HMGET, instead of a write and a read of each job's record.

      "<call token>|<attempt>|<whole>|<startedAt ms>|<workerId>"

  The job's lease token is `<call token>.<id>` (fetch-10.lua); the call token holds no "|" (worker/
  lease-tokens.ts), a worker id may, so it goes last. `whole` is "1" when the job has a whole record
  (it was written whole, or was materialized while leased: pending-job.lua), which then holds its
  state, attempt, worker and start time as well; "0" when it was leased from the pending form and has
  no record (or only one a progress call wrote): its completion then writes those fields itself and
  reads nothing of the record. The field goes when the lease ends (completed, failed, released,
  reclaimed), so a late worker's token matches nothing. store/lease.ts reads the same form.
]]
local LEASE_FORM = "^([^|]*)|(%d+)|([01])|(%d*)|(.*)$"

-- A field of `leases` that is no job (it has spaces; job ids have none) and is longer than 64 bytes:
-- a hash holding one such field keeps Redis's hashtable encoding whatever its size, as ACTIVE_ANCHOR
-- keeps `active` a skiplist (fetch-jobs.lua). Without it `leases`, at most a few hundred entries
-- while workers run and each lease well under 64 bytes, is a listpack (up to
-- hash-max-listpack-entries, 128) where every HSET, HMGET and HDEL of a lease scans the whole hash.
-- Every fetch that leases a job writes it (one field more in a call it makes anyway); nothing reads it.
local LEASES_ANCHOR = "taskq keeps this lease hash in the hashtable encoding with this field (never a job id)"

-- A lease value split: { ct, a, whole, st, w }; nil for no lease or one garbled (by hand).
local function parseLease(v)
  if type(v) ~= "string" then return nil end
  local ct, a, whole, st, w = string.match(v, LEASE_FORM)
  if not ct then return nil end
  return { ct = ct, a = a, whole = whole == "1", st = st, w = w }
end

-- The lease value of a job leased by call token `ct`.
local function leaseValue(ct, attempt, whole, startedAt, workerId)
  return ct .. "|" .. attempt .. "|" .. whole .. "|" .. startedAt .. "|" .. workerId
end

-- The lease `v` (parsed) is held by the caller presenting `token` for job `id`.
local function leaseHeldBy(lease, id, token)
  return lease ~= nil and lease.ct .. "." .. id == token
end
