-- Renews a lease only for its holder: after an expiry it may be another process's.
-- KEYS[1] lease, ARGV[1] holder token, ARGV[2] lease ms. 1 = renewed, 0 = not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
