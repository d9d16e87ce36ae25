--[[
  Included by every script that ends a job (complete, fail, reclaim, cancel), after publish-event.lua. `onJobEnded` releases
  the job's unique key and settles its dependants: on completion each child loses one pending parent
  and, at zero, becomes waiting (or delayed until its due time); on death a child whose policy is
  "fail" dies too, with the reason, and so on down the graph; with "ignore" it counts as done.
  Children live in this queue, so every key it touches shares the queue's hash tag. The caller passes
  the job's `u` (unique key) and `ch` (has children) fields, which it has read already; most jobs
  have neither, and then this costs nothing.
]]
local function onJobEnded(base, id, outcome, now, unique, hasChildren)
  if unique then redis.call("DEL", base .. "unique:" .. unique) end
  if not hasChildren then return end
  local stack = { { id, outcome } }
  while #stack > 0 do
    local item = table.remove(stack)
    local parent, parentOutcome = item[1], item[2]
    local childrenKey = base .. "children:" .. parent
    -- A children key of another type (written by hand) releases nobody rather than failing the end
    -- of the parent, which would then be retried for ever.
    local children = redis.pcall("SMEMBERS", childrenKey)
    if type(children) == "table" and children.err then children = {} end
    for _, child in ipairs(children) do
      local ck = base .. "job:" .. child
      local f = redis.call("HMGET", ck, "s", "dp", "p", "da", "u", "wt", "n")
      if f[1] == "blocked" then
        redis.call("ZREM", base .. "blocked", child)
        if parentOutcome == "completed" or f[2] == "ignore" then
          if redis.call("HINCRBY", ck, "pd", -1) <= 0 then
            local due = tonumber(f[4] or "0")
            if due > now then
              redis.call("HSET", ck, "s", "delayed")
              redis.call("ZADD", base .. "delayed", due, child)
            else
              redis.call("HSET", ck, "s", "waiting")
              -- A garbled priority would name a list no worker reads: it counts as normal (2).
              local p = tonumber(f[3])
              if not p or p < 0 or p > 4 or p ~= math.floor(p) then p = 2 end
              redis.call("LPUSH", base .. "wait:" .. p, child)
            end
            redis.call("ZADD", base .. "marker", 0, "0")
          end
        else
          local err = cjson.encode({ attempt = 0, name = "ParentFailed",
            message = "parent job " .. parent .. " " .. parentOutcome, at = now })
          redis.call("HSET", ck, "s", "dead", "fin", now, "e", err)
          redis.call("RPUSH", base .. "errors:" .. child, err)
          redis.call("ZADD", base .. "dead", now, child)
          if f[5] then redis.call("DEL", base .. "unique:" .. f[5]) end
          if f[6] then redis.call("PUBLISH", base .. "events", child) end
          jobEvent(base, "dead", child, f[7], "")
          stack[#stack + 1] = { child, "dead" }
        end
      end
    end
    redis.call("DEL", childrenKey)
  end
end
