-- The caps are checked and the link written in one step, so concurrent links from many
-- guilds cannot together pass a cap that each saw as not yet reached.
local perGuild = tonumber(ARGV[4])
local total = tonumber(ARGV[5])
if perGuild > 0 and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0
  and redis.call('HLEN', KEYS[1]) >= perGuild then return 'guild_full' end
if total > 0 and redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0
  and redis.call('HLEN', KEYS[3]) >= total then return 'total_full' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[6])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
return 'linked'
