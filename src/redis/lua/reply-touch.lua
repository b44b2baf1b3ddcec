-- Resets the idle time of entries this consumer still owns (XCLAIM to itself), so that
-- another process does not take over a delivery that is merely slow. Returns the ids it
-- no longer owns (taken over by another consumer, or acknowledged and gone).
-- KEYS: stream. ARGV: group, consumer, ids...
local key, group, me = KEYS[1], ARGV[1], ARGV[2]
local lost = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local p = redis.call('XPENDING', key, group, id, id, 1)
  if p[1] and p[1][2] == me then
    redis.call('XCLAIM', key, group, me, 0, id, 'JUSTID')
  else
    table.insert(lost, id)
  end
end
return lost
