-- The patch is combined with what is stored and checked in one atomic step, so two
-- moderators changing different settings at once both keep their change, and two changes
-- that are fine alone but not together (min 20, default 10) cannot both be stored.
-- The stored durations are read as fromHash reads them (a bad field or an inconsistent
-- range counts as the defaults), and, when the patch sets a duration, all three are written
-- back, so the stored range is always the one that was checked. A patch of other fields
-- leaves the durations unstored: the channel keeps following CLIP_DEFAULT_DURATION.
-- KEYS[1]: the channel's hash. ARGV: the duration bounds (lo, hi), the default min, default
-- and max, then the patch as field, value pairs, each already valid on its own.
-- Answers {0, min, default, max} when the range would break, else {1, the stored hash}.
local lo, hi = tonumber(ARGV[1]), tonumber(ARGV[2])
local defaults = {tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])}
local names = {'minDuration', 'defaultDuration', 'maxDuration'}
local patch = {}
for i = 6, #ARGV, 2 do patch[ARGV[i]] = ARGV[i + 1] end
local stored = redis.call('HMGET', KEYS[1], unpack(names))
local d = {}
for i = 1, 3 do
  local n = stored[i] and string.match(stored[i], '^%-?%d+$') and tonumber(stored[i])
  if not n or n < lo or n > hi then n = defaults[i] end
  d[i] = n
end
if not (d[1] <= d[2] and d[2] <= d[3]) then d = {defaults[1], defaults[2], defaults[3]} end
local write = {}
local durations = false
for k, v in pairs(patch) do
  local at = nil
  for i = 1, 3 do if names[i] == k then at = i end end
  if at then
    d[at] = tonumber(v)
    durations = true
  else
    table.insert(write, k); table.insert(write, v)
  end
end
if not (d[1] <= d[2] and d[2] <= d[3]) then return {0, d[1], d[2], d[3]} end
if durations then
  for i = 1, 3 do table.insert(write, names[i]); table.insert(write, tostring(d[i])) end
end
if #write > 0 then redis.call('HSET', KEYS[1], unpack(write)) end
return {1, redis.call('HGETALL', KEYS[1])}
