--[[
  Included by the scripts that add jobs or act on one job (enqueue, enqueue-plain, fetch-jobs.lua,
  cancel, set-priority, watch-job): the pending form of a job.

  A plain job (a counted id; no unique key, parents, delay, rate-limit group or trace context) has no
  record until its first lease: its record's fields travel ahead of its payload in its `data` entry,

      "\1" <ct> "|" <n> "|" <p> "|" <m> "|" <v> "|" <t> "\n" <payload>

  (v and t "" where the record would leave them out: version 1, the job type's timeout). A waiting
  job is then one hash field and one list entry, as in Bee-Queue, instead of a record key beside
  them: about 130 bytes less per waiting job, and one write less per enqueue.

  Leased from the pending form: its first lease (fetch-jobs.lua) writes no record at all, only its
  entry in the queue's `leases` hash (lease.lua, whole "0"), and leaves the data entry as it is; a
  completion writes a record of its outcome alone (s, r, fin, and a, w, st from the lease), so a job
  that completes on its first attempt, the usual case, is never written whole: its record, lease and
  entry together are the job (readers merge them, as store/pending-job.ts and admin/ do for a record
  without `n`). A script that needs the job's own fields or sends it back to a wait list, `delayed` or
  the dead-letters (fail, reclaim-expired, cancel, set-priority, watch-job, enqueue-8 for a parent)
  turns it into a whole record first (`materializeJob`, which also writes the lease's state into it and
  marks the lease whole), so from then on it is a job like any other: a pending entry never sits in a
  wait list beside a record. Scripts that include this file include lease.lua first; materializeJob
  touches `<base>leases` besides their KEYS.
  Byte 0x01 starts no stored payload: JSON text starts with whitespace, { [ " - t f n or a digit, a
  binary envelope with 0x00 (payload/envelope.ts). store/pending-job.ts reads the same form, and
  store/fetch.ts a leased pending job's entry, which a fetch hands over whole.
]]
local PENDING_FORM = "^\1(%d+)|([^|\n]*)|([0-4])|(%d+)|(%d*)|(%d*)\n()"
local PENDING_GARBLED = "its pending entry is not \\1ct|name|priority|maxAttempts|version|timeout"

-- A data entry's pending fields { ct, n, p, m, v, t } and where its payload starts; nil when it is
-- a stored payload (or nothing); false, with a reason, when it starts like one but is garbled.
local function pendingEntry(entry)
  if type(entry) ~= "string" or string.byte(entry, 1) ~= 1 then return nil end
  local ct, n, p, m, v, t, at = string.match(entry, PENDING_FORM)
  if not ct then return false, PENDING_GARBLED end
  return { ct = ct, n = n, p = p, m = m, v = v, t = t }, at
end

-- The record fields of a pending job, as HSET arguments, appended to `args` (from position `n`).
-- Returns the new length.
local function pendingRecordArgs(f, args, n)
  args[n + 1] = "n"; args[n + 2] = f.n; args[n + 3] = "p"; args[n + 4] = f.p
  args[n + 5] = "m"; args[n + 6] = f.m; args[n + 7] = "ct"; args[n + 8] = f.ct
  n = n + 8
  if f.v ~= "" then args[n + 1] = "v"; args[n + 2] = f.v; n = n + 2 end
  if f.t ~= "" then args[n + 1] = "t"; args[n + 2] = f.t; n = n + 2 end
  return n
end

-- Turns job `id`, when it is pending (or leased from the pending form: its lease's state then joins
-- the record, and the lease is marked whole), into a whole record and a bare payload. Returns true
-- when it did. A garbled pending entry is left as it is (the fetch dead-letters it with the reason).
local function materializeJob(base, id)
  local dataKey = base .. "data"
  local entry = redis.pcall("HGET", dataKey, id)
  local f, at = pendingEntry(entry)
  if not f then return false end
  local args = {}
  local n = pendingRecordArgs(f, args, 0)
  local leasesKey = base .. "leases"
  local lease = parseLease(redis.pcall("HGET", leasesKey, id), id)
  if lease and not lease.whole then
    args[n + 1] = "s"; args[n + 2] = "active"; args[n + 3] = "a"; args[n + 4] = lease.a
    args[n + 5] = "w"; args[n + 6] = lease.w; args[n + 7] = "st"; args[n + 8] = lease.st
    n = n + 8
  end
  redis.call("HSET", base .. "job:" .. id, unpack(args, 1, n))
  redis.call("HSET", dataKey, id, string.sub(entry, at))
  if lease and not lease.whole then redis.call("HSET", leasesKey, id, leaseValue(lease.token, "1", lease.a, lease.st, lease.w)) end
  return true
end
