--[[
  Moves a schedule past the firing the caller just enqueued (as job "s:<id>:<due>", which the enqueue
  script makes at most once). Only the caller that still sees the expected due time advances it, so
  any number of TaskManagers fire each tick once; one that died between enqueue and advance leaves
  the tick to the next, which re-enqueues the same job id (a no-op) and advances.

  KEYS[1] schedules (hash id -> JSON), KEYS[2] schedule-due (ZSET id -> next ms), KEYS[3] schedule-runs
  ARGV[1] id, ARGV[2] expected due ms, ARGV[3] next due ms ("" = exhausted: remove the schedule)

  Returns 1 when advanced, 0 when another caller already did.
]]
local due = redis.call("ZSCORE", KEYS[2], ARGV[1])
if not due or tonumber(due) ~= tonumber(ARGV[2]) then return 0 end
redis.call("HINCRBY", KEYS[3], ARGV[1], 1)
if ARGV[3] == "" then
  redis.call("ZREM", KEYS[2], ARGV[1])
  redis.call("HDEL", KEYS[1], ARGV[1])
  redis.call("HDEL", KEYS[3], ARGV[1])
else
  redis.call("ZADD", KEYS[2], tonumber(ARGV[3]), ARGV[1])
end
return 1
