-- KEYS: pause hash. ARGV: nowMs, baseMs, maxMs.
-- One more strike: the pause doubles per 429 in a row (Twitch sends no reset time for
-- Create Clip's bucket), and never shortens a pause another worker already set.
-- Returns the epoch ms until which clip creation is paused.
local key = KEYS[1]
local now, base, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local strikes = redis.call('HINCRBY', key, 'strikes', 1)
local pause = math.min(max, base * (2 ^ (strikes - 1)))
local untilMs = now + pause
local current = tonumber(redis.call('HGET', key, 'until') or '0') or 0
if current > untilMs then untilMs = current end
redis.call('HSET', key, 'until', string.format('%d', untilMs))
-- Strikes are forgotten once clip creation has gone well for a while.
redis.call('PEXPIRE', key, (untilMs - now) + max * 2)
return string.format('%d', untilMs)
