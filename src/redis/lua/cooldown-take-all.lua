-- Every claim is checked before any is taken, so a refusal by the last one leaves the
-- first ones free. ARGV: token, then per key its milliseconds and join window (<= 0: none).
-- Answers {i, ttl} when claim i (1-based) refuses, else {0, i...} for the claims taken.
local take = {}
for i, key in ipairs(KEYS) do
  local ms = tonumber(ARGV[2 * i])
  local join = tonumber(ARGV[2 * i + 1])
  local ttl = redis.call('PTTL', key)
  if ttl > 0 then
    if join <= 0 or ms - ttl > join then return {i, ttl} end
    take[i] = false
  else
    take[i] = true
  end
end
local taken = {0}
for i, key in ipairs(KEYS) do
  if take[i] then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2 * i])
    table.insert(taken, i)
  end
end
return taken
