-- Gives up leases (or locks), only those this holder still holds (after an expiry one may
-- be another process's). Returns how many were given up. KEYS: lease keys. ARGV: owner.
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    n = n + redis.call('DEL', KEYS[i])
  end
end
return n
