--[[
  Included by the scripts that end an attempt (complete, fail, reclaim-expired). `countJobs` adds
  `n` to one per-minute counter of the queue's history hash (`<base>history`, under the queue's hash
  tag like every other key of the queue), which the dashboard's throughput and failure charts read
  (see admin/job-history.ts). Fields are `<kind>:<minute>`, minute = floor(now / 60 000):

    c  jobs completed     f  attempts failed (retried or dead)     d  jobs dead-lettered

  The hash stays a few KB: the first count of a new minute (HINCRBY answers n) deletes the fields
  older than HISTORY_MINUTES, so the hot path costs one HINCRBY, and one HKEYS of at most a few
  hundred short fields once a minute per kind.
]]
local HISTORY_MINUTES = 60

local function countJobs(base, kind, now, n)
  local historyKey = base .. "history"
  local minute = math.floor(now / 60000)
  -- pcall: a history key broken by hand (another type, a garbled count) costs the charts, never the
  -- completion or failure that called this.
  -- n as text when it is 1 (a completion at concurrency 1, every failure): no sprintf.
  local count = redis.pcall("HINCRBY", historyKey, kind .. ":" .. minute, n == 1 and "1" or n)
  if type(count) ~= "number" or count ~= n then return end
  local old = {}
  for _, field in ipairs(redis.call("HKEYS", historyKey)) do
    local at = tonumber(string.match(field, ":(%d+)$"))
    if not at or at <= minute - HISTORY_MINUTES then old[#old + 1] = field end
  end
  if #old > 0 then redis.call("HDEL", historyKey, unpack(old)) end
end
