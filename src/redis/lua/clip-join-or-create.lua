-- A request joins the channel's open clip, is answered from the clip it just finished, or
-- claims a new one, atomically, so every requester gets exactly one answer while requests
-- and results race. The answer of an 'answered' request is appended to its reply stream in
-- this same script, so no crash between "decided" and "queued the answer" can lose it.
--
-- KEYS: pending(channel), request(requestId), requesters(candidate job),
--       requesters(current job), state(current job)  (current: ARGV expectedJobId)
-- ARGV: candidateJobId, requestJson, coalesce(1|0), expectedJobId ('' none), nowMs,
--       orphanGraceMs, requestTtlMs, pendingTtlMs, stream (the request's platform),
--       streamMaxLen (0: no cap), resultField, then the answer's other fields, encoded
-- Returns {kind, jobId}; kind: created | joined | answered | duplicate | retry (the
-- channel's claim is no longer expectedJobId: look again).
--
-- An open claim is joined while its job can still answer, by our own record of it (never
-- BullMQ's keys): 'queued' once the job was added, 'ended' once it completed or failed.
-- Without a record (the creator adds the job right after this script, or died before
-- adding it) the claim is trusted for a grace period. Otherwise it is an orphan and the
-- new job adopts its requesters. Requester lists expire with the claim (pendingTtlMs).
local pendingKey, requestKey, newReqsKey, curReqsKey, curStateKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local candidate, reqJson, coalesce, expected = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, orphanGrace = tonumber(ARGV[5]), tonumber(ARGV[6])
local requestTtl, pendingTtl = tonumber(ARGV[7]), tonumber(ARGV[8])
local stream, maxLen, resultField = ARGV[9], tonumber(ARGV[10]) or 0, ARGV[11]

local seen = redis.call('GET', requestKey)
if seen then return {'duplicate', seen} end

if coalesce == '1' then
  local cur = redis.call('HMGET', pendingKey, 'jobId', 'state', 'since', 'result')
  local jobId, state = cur[1], cur[2]
  if (jobId or '') ~= expected then return {'retry', jobId or ''} end
  if jobId and state == 'open' then
    local record = redis.call('GET', curStateKey)
    local live
    if record == 'queued' then
      live = true
    elseif record then
      live = false
    else
      live = now - (tonumber(cur[3]) or 0) < orphanGrace
    end
    if live then
      redis.call('RPUSH', curReqsKey, reqJson)
      redis.call('PEXPIRE', curReqsKey, pendingTtl)
      redis.call('SET', requestKey, jobId, 'PX', requestTtl)
      return {'joined', jobId}
    end
    -- Orphaned claim: the new job adopts whoever joined it.
    if redis.call('EXISTS', curReqsKey) == 1 then redis.call('RENAME', curReqsKey, newReqsKey) end
  elseif jobId and state == 'done' and cur[4] then
    local fields = {}
    for i = 12, #ARGV do table.insert(fields, ARGV[i]) end
    table.insert(fields, resultField)
    table.insert(fields, cur[4])
    -- Delivered entries are deleted, so a cap could only ever trim undelivered answers:
    -- none by default (maxLen 0); see ResultPublisherOptions.streamMaxLen.
    if maxLen > 0 then
      redis.call('XADD', stream, 'MAXLEN', '~', maxLen, '*', unpack(fields))
    else
      redis.call('XADD', stream, '*', unpack(fields))
    end
    redis.call('SET', requestKey, jobId, 'PX', requestTtl)
    return {'answered', jobId}
  end
  redis.call('DEL', pendingKey)
  redis.call('HSET', pendingKey, 'jobId', candidate, 'state', 'open', 'since', now)
  redis.call('PEXPIRE', pendingKey, pendingTtl)
end
redis.call('RPUSH', newReqsKey, reqJson)
redis.call('PEXPIRE', newReqsKey, pendingTtl)
redis.call('SET', requestKey, candidate, 'PX', requestTtl)
return {'created', candidate}
