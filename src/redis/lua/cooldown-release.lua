-- Only the holder's own take is removed: after an expiry the key may be someone else's.
local n = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i] then n = n + redis.call('DEL', key) end
end
return n
