/**
 * @module The Lua scripts of the Redis store (`store.ts`). Each runs atomically in Redis, so that
 * a workflow execution, its images, its account's list and the counters of the bounds change
 * together, whichever replica sends the change. Keys (after the prefix, ARGV[1]):
 * - `w:<tenant>\0<id>`: hash of a workflow execution: `doc` (JSON without image bytes), `v`
 *   (version), `acc` (account id), `t` (1 once terminal), `b` (image bytes), `i:<partId>` (bytes);
 * - `loc`: hash id → tenant; `tw:<tenant>`, `ta:<tenant>`: a tenant's ids; `st`: hash of counters
 *   `w` (workflow executions), `b` (image bytes), `e` (evictions);
 * - `a:<tenant>\0<id>`: hash of an account (`c`: createdAt); `al:<tenant>\0<id>`: its list;
 * - `done`: sorted set of completed workflow executions in the order they completed (eviction);
 * - `resv`: sorted set of image reservations `<id>:<bytes>`, scored by when they lapse.
 * Only single-instance Redis (or a primary with replicas): the keys a script touches depend on
 * what it reads, which Redis Cluster does not allow.
 */

const COMMON = `
local P = ARGV[1]
local Z = '\\0'
local function wkey(t, id) return P .. 'w:' .. t .. Z .. id end
local function akey(t, id) return P .. 'a:' .. t .. Z .. id end
local function alkey(t, id) return P .. 'al:' .. t .. Z .. id end
local function num(v) return tonumber(v or '0') or 0 end

-- deletes a workflow execution and its images; its account id, or false when it did not exist
local function drop(t, id)
  local k = wkey(t, id)
  local f = redis.call('HMGET', k, 'acc', 'b')
  if not f[1] then return false end
  redis.call('DEL', k)
  redis.call('HINCRBY', P .. 'st', 'w', -1)
  redis.call('HINCRBY', P .. 'st', 'b', 0 - num(f[2]))
  redis.call('HDEL', P .. 'loc', id)
  redis.call('ZREM', P .. 'done', t .. Z .. id)
  redis.call('SREM', P .. 'tw:' .. t, id)
  redis.call('LREM', alkey(t, f[1]), 0, id)
  return f[1]
end

local function dropAccountIfEmpty(t, acc)
  if redis.call('LLEN', alkey(t, acc)) == 0 then
    redis.call('DEL', akey(t, acc), alkey(t, acc))
    redis.call('SREM', P .. 'ta:' .. t, acc)
  end
end

-- bytes reserved by uploads arriving on any replica (lapsed reservations dropped first)
local function reserved()
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', P .. 'resv', '-inf', now)
  local total = 0
  for _, m in ipairs(redis.call('ZRANGE', P .. 'resv', 0, -1)) do
    total = total + num(string.match(m, ':(%d+)$'))
  end
  return total, now
end

-- evicts the oldest completed workflow executions until within the bounds, with room to spare
local function evict(maxW, maxB, room)
  local res = reserved()
  while true do
    local st = redis.call('HMGET', P .. 'st', 'w', 'b')
    if num(st[1]) <= maxW and num(st[2]) + res + room <= maxB then return true end
    local oldest = redis.call('ZRANGE', P .. 'done', 0, 0)[1]
    if not oldest then return num(st[2]) + res + room <= maxB end
    redis.call('ZREM', P .. 'done', oldest)
    local cut = string.find(oldest, Z, 1, true)
    local t, id = string.sub(oldest, 1, cut - 1), string.sub(oldest, cut + 1)
    local acc = drop(t, id)
    if acc then
      dropAccountIfEmpty(t, acc)
      redis.call('HINCRBY', P .. 'st', 'e', 1)
    end
  end
end
`

/**
 * Saves a workflow execution when its stored version is the one expected (0: new). ARGV: prefix,
 * tenant, id, expected version, doc, terminal, account id, account createdAt ('' : no account to
 * save), max workflow executions, max image bytes, the image reservations the save ends (space
 * separated), kept part ids (space separated), then pairs of part id and bytes. Returns {'ok',
 * version}, {'conflict', version, doc} or {'final', version, doc}: a completed one is never
 * changed again (two replicas may settle one at once).
 */
export const SAVE = `${COMMON}
local t, id, expected, doc = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local k = wkey(t, id)
local cur = redis.call('HMGET', k, 'v', 'doc', 't')
local v = num(cur[1])
if cur[3] == '1' then return {'final', v, cur[2]} end
if tostring(v) ~= expected then return {'conflict', v, cur[2]} end
local acc = ARGV[7]
if v == 0 then
  redis.call('HINCRBY', P .. 'st', 'w', 1)
  redis.call('HSET', P .. 'loc', id, t)
  redis.call('SADD', P .. 'tw:' .. t, id)
  redis.call('SADD', P .. 'stt', t)
end
if ARGV[8] ~= '' then
  redis.call('HSETNX', akey(t, acc), 'c', ARGV[8])
  redis.call('SADD', P .. 'ta:' .. t, acc)
  if not redis.call('LPOS', alkey(t, acc), id) then redis.call('RPUSH', alkey(t, acc), id) end
end
local before = num(redis.call('HGET', k, 'b'))
redis.call('HSET', k, 'doc', doc, 'v', v + 1, 'acc', acc)
for i = 13, #ARGV, 2 do redis.call('HSET', k, 'i:' .. ARGV[i], ARGV[i + 1]) end
local keep = {}
for pid in string.gmatch(ARGV[12], '%S+') do keep['i:' .. pid] = true end
local bytes = 0
for _, f in ipairs(redis.call('HKEYS', k)) do
  if string.sub(f, 1, 2) == 'i:' then
    if keep[f] then bytes = bytes + redis.call('HSTRLEN', k, f) else redis.call('HDEL', k, f) end
  end
end
redis.call('HSET', k, 'b', bytes)
redis.call('HINCRBY', P .. 'st', 'b', bytes - before)
if ARGV[6] == '1' then
  redis.call('HSET', k, 't', '1')
  redis.call('ZADD', P .. 'done', redis.call('INCR', P .. 'doneseq'), t .. Z .. id)
end
-- the upload's bytes now count as stored, no longer as arriving
for m in string.gmatch(ARGV[11], '%S+') do redis.call('ZREM', P .. 'resv', m) end
evict(tonumber(ARGV[9]), tonumber(ARGV[10]), 0)
return {'ok', v + 1}
`

/**
 * Makes room for `room` more image bytes; with a reservation id, reserves them until it lapses.
 * ARGV: prefix, max workflow executions, max image bytes, room, reservation id ('' : none),
 * reservation lifetime ms. Returns 1 when they fit.
 */
export const MAKE_ROOM = `${COMMON}
local room = tonumber(ARGV[4])
local fits = evict(tonumber(ARGV[2]), tonumber(ARGV[3]), room)
if fits and ARGV[5] ~= '' then
  local _, now = reserved()
  redis.call('ZADD', P .. 'resv', now + tonumber(ARGV[6]), ARGV[5] .. ':' .. room)
end
if fits then return 1 end
return 0
`

/** Deletes a workflow execution (ARGV: prefix, tenant, id); 1 when it existed. */
export const DELETE_WFE = `${COMMON}
if drop(ARGV[2], ARGV[3]) then return 1 end
return 0
`

/** Deletes an account and its workflow executions (ARGV: prefix, tenant, id); 1 when it existed. */
export const DELETE_ACCOUNT = `${COMMON}
local t, acc = ARGV[2], ARGV[3]
if redis.call('EXISTS', akey(t, acc)) == 0 then return 0 end
for _, id in ipairs(redis.call('LRANGE', alkey(t, acc), 0, -1)) do drop(t, id) end
redis.call('DEL', akey(t, acc), alkey(t, acc))
redis.call('SREM', P .. 'ta:' .. t, acc)
return 1
`

/** Forgets a tenant's accounts and workflow executions (ARGV: prefix, tenant). */
export const RESET_TENANT = `${COMMON}
local t = ARGV[2]
for _, id in ipairs(redis.call('SMEMBERS', P .. 'tw:' .. t)) do drop(t, id) end
for _, acc in ipairs(redis.call('SMEMBERS', P .. 'ta:' .. t)) do
  redis.call('DEL', akey(t, acc), alkey(t, acc))
end
redis.call('DEL', P .. 'tw:' .. t, P .. 'ta:' .. t)
redis.call('SREM', P .. 'stt', t)
return 1
`
