--[[
  Adds one or more jobs atomically: every job of the call is written, or (on a script error) none
  of the later ones; the client validates all payloads before calling, so a call never fails halfway.

  KEYS[1]    seq        counter of auto ids
  KEYS[2]    delayed    ZSET id -> due ms
  KEYS[3]    marker     wakes one idle worker
  KEYS[4..8] wait:0..4  one list per priority

  ARGV[1] base   the queue's key prefix "<prefix>:{<queue>}:"
  ARGV[2] count  number of jobs
  then per job, 9 fields:
    id ("" = auto), name, payload, version, priority (0..4), maxAttempts,
    timeoutMs ("" = the job type's), runAtMs ("" = none), delayMs ("" = none)

  Returns a flat array: id1, created1 (1 new, 0 existing), id2, created2, ...
  An explicit id that already exists returns that job untouched (idempotent enqueue).
]]
local base = ARGV[1]
local count = tonumber(ARGV[2])
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local woke = false

for i = 0, count - 1 do
  local o = 3 + i * 9
  local id = ARGV[o]
  local created = 1
  local key
  if id == "" then
    -- An explicit id may have taken a number the counter reaches later: skip over it.
    repeat
      id = tostring(redis.call("INCR", KEYS[1]))
      key = base .. "job:" .. id
    until redis.call("EXISTS", key) == 0
  else
    key = base .. "job:" .. id
    if redis.call("EXISTS", key) == 1 then created = 0 end
  end

  if created == 1 then
    local priority = tonumber(ARGV[o + 4])
    local due = nil
    if ARGV[o + 7] ~= "" then due = tonumber(ARGV[o + 7]) end
    if ARGV[o + 8] ~= "" then due = now + tonumber(ARGV[o + 8]) end
    redis.call("HSET", key, "n", ARGV[o + 1], "d", ARGV[o + 2], "v", ARGV[o + 3], "p", priority,
      "a", 0, "m", ARGV[o + 5], "ct", now)
    if ARGV[o + 6] ~= "" then redis.call("HSET", key, "t", ARGV[o + 6]) end
    if due ~= nil and due > now then
      redis.call("HSET", key, "s", "delayed", "da", due)
      redis.call("ZADD", KEYS[2], due, id)
    else
      redis.call("HSET", key, "s", "waiting")
      redis.call("LPUSH", KEYS[4 + priority], id)
    end
    woke = true
  end
  out[#out + 1] = id
  out[#out + 1] = created
end

if woke then redis.call("ZADD", KEYS[3], 0, "0") end
return out
