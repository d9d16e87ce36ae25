--[[
  Leases up to `count` jobs to a worker. First promotes due delayed jobs (delays, retry backoffs,
  rate-limit waits) to their wait lists, so no separate process is needed for them to run.

  Which priority serves next: with weights (default 16/8/4/2/1 from critical to batch), smooth
  weighted round robin over the non-empty lists, so `batch` still progresses under a flood of `high`
  and, over time, list i gets weight_i / sum of the non-empty weights of the jobs; its state lives in
  `fair`. Without weights (ARGV[6] = ""), strict order: always the most urgent non-empty list.

  Rate limits (ARGV[7], JSON { o: clockOffsetMs, j: { name: { w: [[windowMs, max], ...], n, x } } },
  see worker/rate-limits.ts): a job over its limit goes to `delayed` until the moment its windows
  allow, unleased and its attempt not counted, and the next job is tried. Every window holds wherever
  it starts (a sliding log of start times per job name and group, job field g, on Redis time). When
  that moment is sooner than the delayed job idle workers last heard of, the marker wakes one, so a
  worker is waiting for it even if this one has just filled its slots.

  A leased job is never only in the worker's memory: it sits in `active` with its lease expiry, and
  `leases` holds its lease token (includes/lease.lua). Completing or failing it later must present
  that token; once the lease is reclaimed its entry is gone, so a worker that woke up late cannot
  finish the job twice.

  The payload lives in the queue's `data` hash, not in the job record, so the record keeps Redis's
  compact small-hash encoding whatever the payload's size.

  KEYS[1] delayed, KEYS[2] active, KEYS[3] marker, KEYS[4..8] wait:0..4, KEYS[9] fair, KEYS[10] leases
  ARGV[1] base, ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4] count, ARGV[5] promoteLimit,
  ARGV[6] weights "16,8,4,2,1" or "" (strict), ARGV[7] limits JSON or "",
  ARGV[8] token: this call's lease token, unique to it (the worker's own counter after a number it
          took from the queue's `seq` once), so a lease costs no counter call here

  Returns { nextDueInMs (-1 when nothing is delayed), now (Redis time of these leases), token|false,
            broken|false (a key of the wrong type: "<key>: <error>"; see fetch-jobs.lua),
            then per job 2 fields: "version|attempt|maxAttempts|timeoutMs|createdAt|trace|name|id" (attempt
            1-based, this run; version and timeoutMs "" when the record has none: 1, and the job
            type's timeout; trace the record's trace context, "" when it has none; the id last, as
            the only field that may hold a "|"), and the payload; for a job leased from the pending
            form (pending-job.lua) its id alone and its data entry as it is, whose fields ahead of the
            payload were checked as a record's are, its attempt the first }
  A job's lease token is `<token>.<its id>` (the call's token is unique, and so is an id within a call;
  joining text costs nothing where formatting a counter is a sprintf); the reply carries the token once.
]]
-- @include publish-event.lua
-- @include job-record.lua
-- @include lease.lua
-- @include pending-job.lua
-- @include fetch-jobs.lua
-- Now in ms as text from TIME's digits (seconds, then the first three of six microsecond digits),
-- then as a number: one strtod instead of two and no sprintf (each costs about what a Redis command
-- does, in a call whose time a waiting job's start waits on).
local t = redis.call("TIME")
local nowText = t[1] .. string.sub("000000" .. t[2], -6, -4)
local now = tonumber(nowText)
local k = { delayed = KEYS[1], active = KEYS[2], marker = KEYS[3],
  wait = { [0] = KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8] }, fair = KEYS[9], leases = KEYS[10] }
local out = fetchJobs(ARGV[1], k, ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], now, nowText)
publishJobEvents(ARGV[1], now)
return out
