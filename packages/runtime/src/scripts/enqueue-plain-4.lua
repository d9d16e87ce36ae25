--[[
  Adds one plain job: a counted id, no unique key, parents, delay, rate-limit group or trace context,
  in the pending form (pending-job.lua: no record, its fields ahead of its payload in `data`). The
  single enqueue of a web request is this call; enqueue-8.lua, which does everything, spends most of
  its time on what such a job does not need (issue 18: about 18 µs of Redis time against 6 here).
  Writes all or nothing: a key of the wrong type refuses the call, and what it wrote before is taken
  back (nothing runs between a script's commands, so nobody sees it).

  KEYS[1] seq, KEYS[2] data, KEYS[3] the wait list of the job's priority, KEYS[4] marker
  ARGV[1] base    the queue's key prefix "<prefix>:{<queue>}:"
  ARGV[2] fields  "<name>|<priority 0..4>|<maxAttempts>|<version, "" = 1>|<timeoutMs, "" = the job type's>"
  ARGV[3] payload

  Returns the job's id.
]]
-- @include publish-event.lua
local base, fields = ARGV[1], ARGV[2]
local function refuse(problem)
  return redis.error_reply("taskq: enqueue of job 1 refused, nothing written: " .. problem)
end
-- The worker's fetch reads these fields back and dead-letters a job whose fields are not of these forms.
-- (Checked as text: each string turned into a number, and each number back into a string, is a
-- strtod or a sprintf, and this script's Redis time is what a sequential producer waits on.)
local name, m, v, timeout = string.match(fields, "^([%w._-]+)|[0-4]|(%d+)|(%d*)|(%d*)$")
if not name or #name > 64 then return refuse("its fields are not name|priority|maxAttempts|version|timeoutMs") end
if #m > 15 or not string.find(m, "[1-9]") then return refuse("max attempts is not a positive whole number") end
if v ~= "" and (#v > 15 or not string.find(v, "[1-9]")) then return refuse("version is not a positive whole number") end
if timeout ~= "" and (#timeout > 10 or not string.find(timeout, "[1-9]") or tonumber(timeout) > 2147483647) then
  return refuse("timeoutMs is not a number from 1 to 2^31 - 1")
end

local function refuseType(key, expected)
  return redis.error_reply("taskq: enqueue refused, nothing written: key " .. key .. " holds a " .. redis.call("TYPE", key).ok .. ", not a " .. expected .. " (fix or delete it)")
end
local counted = redis.pcall("INCR", KEYS[1])
if type(counted) == "table" then
  return redis.error_reply("taskq: enqueue refused, nothing written: key " .. KEYS[1] .. " does not hold a counter (fix or delete it)")
end
-- The id as text once: a number given to redis.call is formatted again at every call.
local id = tostring(counted)
-- Takes the id back: the counter as it was (absent, or 0, the same to INCR, when this took id 1).
local function untake()
  if counted == 1 then redis.call("DEL", KEYS[1]) else redis.call("DECR", KEYS[1]) end
end
-- Now in ms, as text: TIME's seconds and the first three of its six microsecond digits (zero-padded).
local t = redis.call("TIME")
local now = t[1] .. string.sub("000000" .. t[2], -6, -4)
if type(redis.pcall("HSET", KEYS[2], id, "\1" .. now .. "|" .. fields .. "\n" .. ARGV[3])) == "table" then
  untake()
  return refuseType(KEYS[2], "hash")
end
if type(redis.pcall("LPUSH", KEYS[3], id)) == "table" then
  redis.call("HDEL", KEYS[2], id)
  untake()
  return refuseType(KEYS[3], "list")
end
-- Wakes an idle worker, on every enqueue, not only into an empty list: a fetch that gave its jobs back
-- (a key it needs of the wrong type) wakes no other worker and counts on the next enqueue to (see
-- fetch-jobs.lua), and a worker whose wake-up was lost must not wait for its blocking read to time
-- out. The last write that can fail.
if type(redis.pcall("ZADD", KEYS[4], "0", "0")) == "table" then
  redis.call("LPOP", KEYS[3])
  redis.call("HDEL", KEYS[2], id)
  untake()
  return refuseType(KEYS[4], "zset")
end
jobEvent(base, "enqueued", id, name, "")
publishJobEvents(base, now)
return id
