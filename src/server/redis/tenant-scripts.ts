/**
 * @module The Lua scripts of the shared admin settings (`tenants.ts`). Keys after the prefix
 * (ARGV[1]); a tenant's keys end in its id, the global settings' in `\0g`:
 * - `s:<t>`: hash `a` (active scenario), `k` (clock skew, ms);
 * - `o:<t>`: list of override ids; `ov`: hash id → override JSON without `remaining`; `ovr`:
 *   hash id → uses left;
 * - `b:<t>`: hash account id → scenario; `f:<t>`: hash fault rule → count; `d:<t>`: sorted set
 *   of deleted ids; `tenants`: sorted set of the tenants that hold any of these, scored by
 *   their last change (`tick` counts changes); `max`: the bound on them (`--max-tenants`);
 *   `evictions`: how many it forgot;
 * - `log`: stream of changes, each `s` (sequence, from `seq`) and `t` (the tenant changed, `\0g`
 *   for the global settings, `\0c` for the API credentials, `\0*` for all): every replica reads it
 *   before a request.
 */

/** Deleted ids remembered per tenant, as in one process. */
export const DELETED_MEMORY = 10_000

export const GLOBAL = '\u0000g'

/** The name the API credentials' changes are logged under (`credentials.ts`). */
export const CREDENTIALS = '\u0000c'

/**
 * The name a change of everything is logged under (a reset of all). The internal names begin with
 * a NUL, which no tenant's name holds (the admin API and the token endpoint refuse such names).
 */
export const EVERYTHING = '\u0000*'

/**
 * Logs a change of `t`: a tenant, the global settings, the credentials or everything (`\0*`). A
 * tenant is admitted first: it joins `tenants` (scored by `tick`, so the oldest score is the
 * tenant changed longest ago), and past the bound (`max`, set by every replica at start) the
 * tenant changed longest ago is forgotten, counted (`evictions`) and logged, so that every
 * replica forgets it too.
 */
export const LOG = `
local P = ARGV[1]
local function dropOverrides(t)
  for _, id in ipairs(redis.call('LRANGE', P .. 'o:' .. t, 0, -1)) do
    redis.call('HDEL', P .. 'ov', id)
    redis.call('HDEL', P .. 'ovr', id)
  end
  redis.call('DEL', P .. 'o:' .. t)
end
local function forget(t)
  dropOverrides(t)
  redis.call('DEL', P .. 's:' .. t, P .. 'b:' .. t, P .. 'f:' .. t, P .. 'd:' .. t)
  redis.call('ZREM', P .. 'tenants', t)
end
local function append(t)
  local s = redis.call('INCR', P .. 'seq')
  redis.call('XADD', P .. 'log', 'MAXLEN', '~', 10000, '*', 's', s, 't', t)
  return s
end
local function admit(t)
  -- the internal names (NUL-prefixed) are no tenants, whatever a request claimed
  if string.byte(t) == 0 then return end
  -- a score of its own, so that no two changes tie (FAULT and DELETED log nothing)
  local score = redis.call('INCR', P .. 'tick')
  if redis.call('ZADD', P .. 'tenants', score, t) == 0 then return end
  local max = tonumber(redis.call('GET', P .. 'max') or '0')
  if max < 1 or redis.call('ZCARD', P .. 'tenants') <= max then return end
  local oldest = redis.call('ZRANGE', P .. 'tenants', 0, 1)
  local gone = oldest[1] == t and oldest[2] or oldest[1]
  forget(gone)
  redis.call('INCR', P .. 'evictions')
  append(gone)
end
local function logged(t)
  admit(t)
  return append(t)
end
`

/**
 * One change of a tenant's settings, logged. ARGV: prefix, tenant, what, then its values:
 * `active name|''`, `skew ms` (added), `override id json remaining`, `clear`, `bind account
 * name|''`, `reset`, `resetAll`. Returns the change's sequence number (the last one when
 * the change is an unset for a tenant that holds nothing, which records nothing).
 */
export const CHANGE = `${LOG}
local t, what = ARGV[2], ARGV[3]
-- unsetting what a tenant that holds nothing does not have changes nothing: no tenant, no log
local unset = (what == 'active' and ARGV[4] == '') or what == 'clear'
  or (what == 'bind' and ARGV[5] == '')
if unset and t ~= '\\0g' and not redis.call('ZSCORE', P .. 'tenants', t) then
  return tonumber(redis.call('GET', P .. 'seq') or '0')
end
if what == 'active' then
  if ARGV[4] == '' then redis.call('HDEL', P .. 's:' .. t, 'a')
  else redis.call('HSET', P .. 's:' .. t, 'a', ARGV[4]) end
elseif what == 'skew' then
  redis.call('HINCRBY', P .. 's:' .. t, 'k', ARGV[4])
elseif what == 'override' then
  redis.call('HSET', P .. 'ov', ARGV[4], ARGV[5])
  redis.call('HSET', P .. 'ovr', ARGV[4], ARGV[6])
  redis.call('RPUSH', P .. 'o:' .. t, ARGV[4])
elseif what == 'clear' then
  dropOverrides(t)
elseif what == 'bind' then
  if ARGV[5] == '' then redis.call('HDEL', P .. 'b:' .. t, ARGV[4])
  else redis.call('HSET', P .. 'b:' .. t, ARGV[4], ARGV[5]) end
elseif what == 'reset' then
  forget(t)
  -- logged, not admitted: it holds nothing now
  return append(t)
elseif what == 'resetAll' then
  for _, x in ipairs(redis.call('ZRANGE', P .. 'tenants', 0, -1)) do forget(x) end
  forget('\\0g')
  t = '\\0*'
end
return logged(t)
`

/**
 * Takes one use of the first matching override, the tenant's before the global ones, atomically:
 * under any number of concurrent requests on any number of replicas, an override of N uses is
 * taken N times. ARGV: prefix, tenant, want ('scenario' | 'fault'), operation id, creating
 * ('1' | '0'), client id ('' : none). Returns the override's JSON and the uses left, or nil.
 */
export const TAKE = `${LOG}
local t, want, op, creating, client = ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1', ARGV[6]
for _, list in ipairs({t, '\\0g'}) do
  for _, id in ipairs(redis.call('LRANGE', P .. 'o:' .. list, 0, -1)) do
    local json = redis.call('HGET', P .. 'ov', id)
    local o = json and cjson.decode(json)
    if o then
      local kind = (want == 'scenario' and o.scenario ~= nil) or (want == 'fault' and o.fault ~= nil)
      local opOk
      if o.operation == nil then opOk = (want == 'fault' or creating) else opOk = (o.operation == op) end
      local clientOk = (o.clientId == nil or o.clientId == client)
      if kind and opOk and clientOk then
        local left = redis.call('HINCRBY', P .. 'ovr', id, -1)
        if left <= 0 then
          redis.call('LREM', P .. 'o:' .. list, 1, id)
          redis.call('HDEL', P .. 'ov', id)
          redis.call('HDEL', P .. 'ovr', id)
        end
        logged(list)
        return {json, left}
      end
    end
  end
end
return nil
`

/**
 * Takes one use of a fault rule of N uses (`times`) for a tenant, atomically, as {@link TAKE}
 * takes an override's. ARGV: prefix, tenant, rule, N. Returns 1 when taken, 0 when none is left.
 */
export const FAULT = `${LOG}
local t, rule = ARGV[2], ARGV[3]
local k = P .. 'f:' .. t
if tonumber(redis.call('HGET', k, rule) or '0') >= tonumber(ARGV[4]) then return 0 end
redis.call('HINCRBY', k, rule, 1)
admit(t)
return 1
`

/**
 * Remembers deleted ids of a tenant (the newest {@link DELETED_MEMORY}), as a tenant that holds
 * state. ARGV: prefix, tenant, time, then the ids.
 */
export const DELETED = `${LOG}
local t, k = ARGV[2], P .. 'd:' .. ARGV[2]
for i = 4, #ARGV do redis.call('ZADD', k, ARGV[3], ARGV[i]) end
redis.call('ZREMRANGEBYRANK', k, 0, -${String(DELETED_MEMORY)} - 1)
admit(t)
`

/**
 * A tenant's settings (ARGV: prefix, tenant): active scenario or false, skew, overrides as a
 * JSON array with `remaining`, bindings as a flat list.
 */
export const READ = `
local P, t = ARGV[1], ARGV[2]
local s = redis.call('HMGET', P .. 's:' .. t, 'a', 'k')
local items = {}
for _, id in ipairs(redis.call('LRANGE', P .. 'o:' .. t, 0, -1)) do
  local json = redis.call('HGET', P .. 'ov', id)
  local left = redis.call('HGET', P .. 'ovr', id)
  if json and left then
    items[#items + 1] = string.sub(json, 1, -2) .. ',"remaining":' .. left .. '}'
  end
end
return {s[1] or false, s[2] or '0', '[' .. table.concat(items, ',') .. ']',
  redis.call('HGETALL', P .. 'b:' .. t)}
`

/** Where the log stands (ARGV: prefix): the last sequence and stream id. */
export const POSITION = `
local P = ARGV[1]
local last = redis.call('XREVRANGE', P .. 'log', '+', '-', 'COUNT', 1)[1]
return {redis.call('GET', P .. 'seq') or '0', last and last[1] or '0-0',
  redis.call('ZRANGE', P .. 'tenants', 0, -1)}
`
