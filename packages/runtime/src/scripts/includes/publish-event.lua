--[[
  Included first by every script that changes a job's state (enqueue, fetch, complete, fail, reclaim,
  cancel, progress): `jobEvent` notes one change, `publishJobEvents` sends all the changes of the
  call as one message on the queue's job-events channel, `<base>job-events`. It carries the queue's
  hash tag, and SPUBLISH (sharded pub/sub, Redis 7) delivers it on the node that owns that slot only:
  on Redis Cluster it is routed by slot like the queue's keys instead of being broadcast to every
  node. One message per call, not per job: a bulk enqueue or a batch of completions costs one
  SPUBLISH; with nobody following the queue (no `listening` key), one EXISTS per call and nothing
  else (see client/queue-events.ts, which reads these messages, and client/event-subscriber.ts,
  which sets that key).

  Message: "<now ms>" then one line per event, "<type>|<id>|<name>|<attempt>", a progress event
  with "|<value JSON>" after; types: enqueued, started, progress, completed, failed (an attempt
  failed, the job will run again), dead, cancelled. enqueue-plain-4.lua does not include this file:
  it writes its one "enqueued" message itself, in this form.
]]
-- The call's event lines, made at its first event (an empty table made on every call of every script
-- costs about what a Redis command does; most calls have no event, nobody following the queue).
local jobEventLines = nil
-- Whether anybody follows the queue, asked once per call at its first event: `<base>listening` is
-- set (with a TTL its subscribers keep renewing) while a client follows the queue. Without it the
-- call builds and sends nothing, so events cost an EXISTS per call when unused.
local jobEventsWanted = nil
-- Whether this call's events are heard: a caller that reads fields only for its events (a job's name
-- and attempt) reads them only then.
local function jobEventsHeard(base)
  if jobEventsWanted == nil then jobEventsWanted = redis.call("EXISTS", base .. "listening") == 1 end
  return jobEventsWanted
end
local function jobEvent(base, kind, id, name, attempt, value)
  if not jobEventsHeard(base) then return end
  local line = kind .. "|" .. id .. "|" .. (name or "") .. "|" .. (attempt or "")
  if value then line = line .. "|" .. value end
  if jobEventLines then jobEventLines[#jobEventLines + 1] = line else jobEventLines = { line } end
end
local function publishJobEvents(base, now)
  if not jobEventLines then return end
  redis.call("SPUBLISH", base .. "job-events", tostring(now) .. "\n" .. table.concat(jobEventLines, "\n"))
  jobEventLines = nil
end
