-- Removing the last guild's link also drops the channel from the "linked anywhere" index,
-- in one step, so a concurrent link from another guild cannot be lost in between.
local n = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('SCARD', KEYS[2]) == 0 then redis.call('HDEL', KEYS[3], ARGV[1]) end
return n
