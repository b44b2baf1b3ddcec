-- Finishes a job exactly once: stores its result, appends the answers (reply stream
-- entries encoded by the caller from the requester list it read) and the channel's recent
-- clip, and closes the claim, atomically. The caller read the requester list before; when
-- a request joined since, nothing is written and it reads again.
--
-- KEYS: pending(channel), requesters(job), result(job), recent(channel)
-- ARGV: jobId, resultJson, keepMs (0: late requests start a new clip), resultTtlMs,
--       requestersRead (how many the entries answer), streamMaxLen (0: no cap),
--       recentEntry ('' records nothing), recentCap, recentTtlMs,
--       then per entry: stream key, field count n, n fields
-- Returns the number of requests answered, -1 when the job was already finalized, -2 when
-- the requester list changed since it was read.
local pendingKey, reqsKey, resultKey, recentKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local jobId, result, keepMs, resultTtl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local read, maxLen = tonumber(ARGV[5]), tonumber(ARGV[6]) or 0
local recent, recentCap, recentTtl = ARGV[7], tonumber(ARGV[8]) or 0, tonumber(ARGV[9]) or 0

if redis.call('EXISTS', resultKey) == 1 then return -1 end
if redis.call('LLEN', reqsKey) ~= read then return -2 end
redis.call('SET', resultKey, result, 'PX', resultTtl)
redis.call('DEL', reqsKey)

if recent ~= '' and recentCap > 0 then
  redis.call('LPUSH', recentKey, recent)
  redis.call('LTRIM', recentKey, 0, recentCap - 1)
  if recentTtl > 0 then redis.call('PEXPIRE', recentKey, recentTtl) end
end

local i = 10
while i <= #ARGV do
  local stream, n = ARGV[i], tonumber(ARGV[i + 1])
  -- Delivered entries are deleted, so a cap could only ever trim undelivered answers:
  -- none by default (maxLen 0); see ResultPublisherOptions.streamMaxLen.
  if maxLen > 0 then
    redis.call('XADD', stream, 'MAXLEN', '~', maxLen, '*', unpack(ARGV, i + 2, i + 1 + n))
  else
    redis.call('XADD', stream, '*', unpack(ARGV, i + 2, i + 1 + n))
  end
  i = i + 2 + n
end

if redis.call('HGET', pendingKey, 'jobId') == jobId then
  if keepMs > 0 then
    redis.call('HSET', pendingKey, 'state', 'done', 'result', result)
    redis.call('PEXPIRE', pendingKey, keepMs)
  else
    redis.call('DEL', pendingKey)
  end
end
return read
