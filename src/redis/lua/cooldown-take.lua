-- One round trip, and the remaining time is read under the same lock as the failed SET,
-- so a key that expires in between cannot give a negative wait.
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
  return -1
end
return ttl
