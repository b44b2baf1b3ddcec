-- Gives up channel leases, only those this process still holds (after an expiry a lease
-- may be another process's). KEYS: lease keys. ARGV: owner.
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    n = n + redis.call('DEL', KEYS[i])
  end
end
return n
