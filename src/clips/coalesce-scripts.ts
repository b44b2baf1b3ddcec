import { LuaScript } from '../redis/lua-script.js';

/**
 * The two atomic steps that make "every requester gets exactly one answer" hold while
 * requests and results race: a request either joins a job before the job finalizes (and
 * is answered by the finalize) or arrives after it (and is answered from the stored
 * result). Both append their answers to the reply streams inside the same script, so no
 * crash between "decided" and "queued the answer" can lose one.
 */

const ENVELOPE_HELPERS = `
local function envelope(platform, result, reqs, post)
  local s = '{"platform":"' .. platform .. '","result":' .. result ..
    ',"requests":[' .. table.concat(reqs, ',') .. ']'
  if post then s = s .. ',"post":' .. post end
  return s .. '}'
end
local function publish(streamPrefix, platform, maxLen, env)
  -- Delivered entries are deleted, so a cap could only ever trim undelivered answers:
  -- none by default (maxLen 0); see ResultPublisherOptions.streamMaxLen.
  if (tonumber(maxLen) or 0) > 0 then
    redis.call('XADD', streamPrefix .. platform, 'MAXLEN', '~', maxLen, '*', 'e', env)
  else
    redis.call('XADD', streamPrefix .. platform, '*', 'e', env)
  end
end
local function platformOf(reqJson)
  local ok, req = pcall(cjson.decode, reqJson)
  if ok and type(req) == 'table' and type(req.replyTo) == 'table'
    and req.replyTo.platform == 'discord' then
    return 'discord'
  end
  return 'twitch'
end
`;

/**
 * KEYS: pending(channel), request(requestId), requesters(candidate job)
 * ARGV: candidateJobId, requestJson, coalesce(1|0), keyPrefix, bullJobKeyPrefix, nowMs,
 *       orphanGraceMs, requestTtlMs, pendingTtlMs, streamPrefix, streamMaxLen (0: no cap)
 * Returns {kind, jobId}; kind: created | joined | answered | duplicate.
 *
 * An open claim is joined only while its BullMQ job can still answer: the job exists and
 * has not finished (a failed job's hash stays for days), or it does not exist yet but the
 * claim is younger than the grace period. Otherwise the claim is an orphan and the new job
 * adopts its requesters. Requester lists expire with the claim (pendingTtlMs).
 */
export const JOIN_OR_CREATE = new LuaScript(
  'clip-join-or-create',
  `${ENVELOPE_HELPERS}
local pendingKey, requestKey, newReqsKey = KEYS[1], KEYS[2], KEYS[3]
local candidate, reqJson, coalesce = ARGV[1], ARGV[2], ARGV[3]
local keyPrefix, bullPrefix = ARGV[4], ARGV[5]
local now, orphanGrace = tonumber(ARGV[6]), tonumber(ARGV[7])
local requestTtl, pendingTtl = tonumber(ARGV[8]), tonumber(ARGV[9])
local streamPrefix, maxLen = ARGV[10], ARGV[11]

local seen = redis.call('GET', requestKey)
if seen then return {'duplicate', seen} end

if coalesce == '1' then
  local cur = redis.call('HMGET', pendingKey, 'jobId', 'state', 'since', 'result')
  local jobId, state = cur[1], cur[2]
  if jobId and state == 'open' then
    local reqsKey = keyPrefix .. ':clipjob:' .. jobId .. ':requesters'
    local age = now - (tonumber(cur[3]) or 0)
    local jobKey = bullPrefix .. jobId
    local live
    if redis.call('EXISTS', jobKey) == 1 then
      -- Failed or completed without finalizing (e.g. failed by BullMQ after too many
      -- stalls): nothing will answer a joiner any more.
      live = redis.call('HEXISTS', jobKey, 'finishedOn') == 0
        and not redis.call('ZSCORE', bullPrefix .. 'failed', jobId)
    else
      -- The creator adds the BullMQ job right after this script; until it exists (or
      -- if the creator died before adding it) the claim is only trusted for a grace period.
      live = age < orphanGrace
    end
    if live then
      redis.call('RPUSH', reqsKey, reqJson)
      redis.call('PEXPIRE', reqsKey, pendingTtl)
      redis.call('SET', requestKey, jobId, 'PX', requestTtl)
      return {'joined', jobId}
    end
    -- Orphaned claim: the new job adopts whoever joined it.
    if redis.call('EXISTS', reqsKey) == 1 then redis.call('RENAME', reqsKey, newReqsKey) end
  elseif jobId and state == 'done' and cur[4] then
    publish(streamPrefix, platformOf(reqJson), maxLen, envelope(platformOf(reqJson), cur[4], {reqJson}))
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
`,
);

/**
 * KEYS: pending(channel), requesters(job), result(job), recent(channel)
 * ARGV: jobId, resultJson, keepMs (0: late requests start a new clip), resultTtlMs,
 *       streamPrefix, postTargetsJson, postIt(1|0), streamMaxLen (0: no cap),
 *       recentJson ('' records nothing), recentCap, recentTtlMs
 * Returns the number of requests answered, or -1 when the job was already finalized.
 */
export const FINALIZE = new LuaScript(
  'clip-finalize',
  `${ENVELOPE_HELPERS}
local pendingKey, reqsKey, resultKey, recentKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local jobId, result, keepMs, resultTtl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local streamPrefix, postTargets, postIt, maxLen = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local recent, recentCap, recentTtl = ARGV[9] or '', tonumber(ARGV[10] or '0'), tonumber(ARGV[11] or '0')

if redis.call('EXISTS', resultKey) == 1 then return -1 end
redis.call('SET', resultKey, result, 'PX', resultTtl)

local reqs = redis.call('LRANGE', reqsKey, 0, -1)
redis.call('DEL', reqsKey)

-- The channel's recent clips, with who asked: recorded once, with the answers.
if recentKey and recent ~= '' and recentCap > 0 then
  local who = {}
  for _, r in ipairs(reqs) do
    local ok, req = pcall(cjson.decode, r)
    if ok and type(req) == 'table' and type(req.requester) == 'table' then
      local q = req.requester
      table.insert(who, '{"platform":' .. cjson.encode(tostring(q.platform)) ..
        ',"userId":' .. cjson.encode(tostring(q.userId)) ..
        ',"displayName":' .. cjson.encode(tostring(q.displayName)) .. '}')
    end
  end
  local entry = '{"requesters":[' .. table.concat(who, ',') .. '],' .. string.sub(recent, 2)
  redis.call('LPUSH', recentKey, entry)
  redis.call('LTRIM', recentKey, 0, recentCap - 1)
  if recentTtl > 0 then redis.call('PEXPIRE', recentKey, recentTtl) end
end
local twitch = {}
for _, r in ipairs(reqs) do
  if platformOf(r) == 'discord' then
    publish(streamPrefix, 'discord', maxLen, envelope('discord', result, {r}))
  else
    table.insert(twitch, r)
  end
end
if #twitch > 0 then
  -- One envelope for all Twitch requesters: the chat side sends one message naming them.
  publish(streamPrefix, 'twitch', maxLen, envelope('twitch', result, twitch))
  if postIt == '1' then
    for _, t in ipairs(cjson.decode(postTargets)) do
      local post = cjson.encode({guildId = t.guildId, channelId = t.channelId})
      publish(streamPrefix, 'discord', maxLen, envelope('discord', result, twitch, post))
    end
  end
end

if redis.call('HGET', pendingKey, 'jobId') == jobId then
  if keepMs > 0 then
    redis.call('HSET', pendingKey, 'state', 'done', 'result', result)
    redis.call('PEXPIRE', pendingKey, keepMs)
  else
    redis.call('DEL', pendingKey)
  end
end
return #reqs
`,
);
