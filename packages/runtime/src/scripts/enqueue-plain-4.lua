--[[
  Adds one plain job: a counted id, no unique key, parents, delay, rate-limit group or trace context,
  in the pending form (pending-job.lua: no record, its fields ahead of its payload in `data`). The
  single enqueue of a web request is this call; enqueue-8.lua, which does everything, spends most of
  its time on what such a job does not need (issue 18: about 18 µs of Redis time against 6 here).
  Writes all or nothing: a key of the wrong type refuses the call, and what it wrote before is taken
  back (nothing runs between a script's commands, so nobody sees it).

  KEYS[1] seq, KEYS[2] data, KEYS[3] the wait list of the job's priority, KEYS[4] marker
  ARGV[1] base    the queue's key prefix "<prefix>:{<queue>}:"
  ARGV[2] fields  "<name>|<priority 0..4>|<maxAttempts>|<version, "" = 1>|<timeoutMs, "" = the job type's>",
                  checked by the caller, once per job type (store/enqueue.ts `singleFields`; a job type
                  whose fields are not of this form goes to enqueue-8.lua, which refuses it with why)
  ARGV[3] payload

  Returns the job's id.
]]
-- What a sequential producer waits on is this script's Redis time, so it does the least it can
-- (counted with callgrind: 66,000 instructions a call -> 50,000): its fields were checked once per
-- job type by the caller; no number is turned into text or back where text will do (each is a
-- sprintf or a strtod); its one function captures no local (upvalues cost on every call, error or
-- not); and it writes its event itself rather than through publish-event.lua, whose functions and
-- table it would make on every call.
local counted = redis.pcall("INCR", KEYS[1])
if type(counted) == "table" then
  return redis.error_reply("taskq: enqueue refused, nothing written: key " .. KEYS[1] .. " does not hold a counter (fix or delete it)")
end
-- The id as text once: a number given to redis.call is formatted again at every call.
local id = tostring(counted)
-- Now in ms, as text: TIME's seconds and the first three of its six microsecond digits (zero-padded).
local t = redis.call("TIME")
local now = t[1] .. string.sub("000000" .. t[2], -6, -4)

-- Refuses the call after taking back what it wrote before the write to `key` failed (nothing runs
-- between a script's commands, so nobody saw it): `wrote` nil (nothing), "data" (the job's data
-- entry) or "list" (its data entry and its wait-list entry); and always the counter, as it was
-- (absent, or 0, the same to INCR, when job `id` was 1).
local function refuse(key, expected, wrote, id)
  if wrote == "list" then redis.call("LPOP", KEYS[3]) end
  if wrote then redis.call("HDEL", KEYS[2], id) end
  if id == "1" then redis.call("DEL", KEYS[1]) else redis.call("DECR", KEYS[1]) end
  return redis.error_reply("taskq: enqueue refused, nothing written: key " .. key .. " holds a " .. redis.call("TYPE", key).ok .. ", not a " .. expected .. " (fix or delete it)")
end
if type(redis.pcall("HSET", KEYS[2], id, "\1" .. now .. "|" .. ARGV[2] .. "\n" .. ARGV[3])) == "table" then
  return refuse(KEYS[2], "hash", nil, id)
end
local length = redis.pcall("LPUSH", KEYS[3], id)
if type(length) == "table" then return refuse(KEYS[3], "list", "data", id) end
-- Wakes an idle worker when the list was empty. Into a list that held jobs no wake-up is needed: a
-- worker is busy with them, or its fetch left them (all its slots full) and set the marker then
-- (fetch-jobs.lua); a wake-up lost with a worker killed between its blocking read and its fetch
-- costs at most one blocking read's timeout (worker/queue-runner.ts, 5 s), unless another job goes
-- into an empty list first. The last write that can fail.
if length == 1 and type(redis.pcall("ZADD", KEYS[4], "0", "0")) == "table" then
  return refuse(KEYS[4], "zset", "list", id)
end
-- Its "enqueued" event, when anybody follows the queue: the message publish-event.lua sends, written
-- out (see there: "<now ms>\n<type>|<id>|<name>|<attempt>").
if redis.call("EXISTS", ARGV[1] .. "listening") == 1 then
  redis.call("SPUBLISH", ARGV[1] .. "job-events", now .. "\nenqueued|" .. id .. "|" .. string.match(ARGV[2], "^[^|]*") .. "|")
end
return id
