-- Only the holder's own lock is released: after an expiry it may be another process's.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
