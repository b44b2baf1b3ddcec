-- Renews the leases (or locks) this holder still holds; one that expired or that another
-- process took meanwhile is not renewed. Returns 1 (renewed) or 0 (lost) per key.
-- KEYS: lease keys. ARGV: owner, lease ms.
local out = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
