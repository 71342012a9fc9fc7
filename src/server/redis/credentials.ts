/**
 * @module The API credentials created through the admin API, shared by every replica: in Redis,
 * each as the JSON it has in durable mode (secrets as scrypt hashes only), in creation order.
 * Every change is one script that also logs it (under `\0c`, tenant-scripts.ts), so each replica
 * reads them again before its next request, as it reads the admin settings: a credential created,
 * rotated or deactivated through one replica holds on all of them at once. What must hold across
 * replicas is checked in the script: the bound (`--max-api-credentials`, the oldest deactivated
 * one making room), and that a rotation or deactivation starts from the stored version.
 */
import type { Redis } from 'ioredis'
import { credentialsFull } from '../domain/api-credentials.js'
import { label } from '../domain/credential-model.js'
import type { ApiCredential, CredentialStore } from '../domain/credential-model.js'
import { JumioProblem, PROBLEMS, problem } from '../errors.js'
import { PREFIX } from './link.js'
import { CREDENTIALS, LOG } from './tenant-scripts.js'

/**
 * Keys after the prefix: `cred`, hash client id → JSON; `credo`, sorted set of client ids by
 * creation (`credseq`). ARGV: prefix, client id, JSON, the JSON it was changed from ('' : a new
 * one), the bound. Returns 'ok', 'full', 'gone' (a change of one no longer kept)
 * or 'changed' (another change came first).
 */
const SAVE = `${LOG}
local id, json, previous, max = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local creds, order = P .. 'cred', P .. 'credo'
local stored = redis.call('HGET', creds, id)
if previous ~= '' then
  if not stored then return 'gone' end
  if stored ~= previous then return 'changed' end
elseif not stored then
  if redis.call('HLEN', creds) >= max then
    local victim = nil
    for _, c in ipairs(redis.call('ZRANGE', order, 0, -1)) do
      local j = redis.call('HGET', creds, c)
      if j and cjson.decode(j).status == 'INACTIVE' then victim = c break end
    end
    if not victim then return 'full' end
    redis.call('HDEL', creds, victim)
    redis.call('ZREM', order, victim)
  end
  redis.call('ZADD', order, redis.call('INCR', P .. 'credseq'), id)
end
redis.call('HSET', creds, id, json)
logged('${CREDENTIALS}')
return 'ok'
`

/** Forgets the credentials of a tenant (ARGV[2]), or all of them (''). */
const DELETE = `${LOG}
local t = ARGV[2]
local creds, order = P .. 'cred', P .. 'credo'
for _, id in ipairs(redis.call('ZRANGE', order, 0, -1)) do
  local j = redis.call('HGET', creds, id)
  if t == '' or not j or cjson.decode(j).tenant == t then
    redis.call('HDEL', creds, id)
    redis.call('ZREM', order, id)
  end
end
logged('${CREDENTIALS}')
return 'ok'
`

type Command = (...args: unknown[]) => Promise<unknown>

/** The created API credentials in Redis. */
export class RedisCredentials implements CredentialStore {
  constructor(
    private readonly redis: Redis,
    private readonly max: number,
    /** Brings this replica's mirror up to date (the settings' catch-up, which reads them). */
    private readonly sync: () => Promise<void>,
  ) {
    redis.defineCommand('jmc_save', { numberOfKeys: 0, lua: SAVE })
    redis.defineCommand('jmc_delete', { numberOfKeys: 0, lua: DELETE })
  }

  private call(name: string, ...args: string[]): Promise<unknown> {
    const command = (this.redis as unknown as Record<string, Command>)[`jmc_${name}`]
    if (!command) throw new Error(`script ${name} not defined`)
    return command.call(this.redis, PREFIX, ...args)
  }

  /** None at construction: the mirror is filled by {@link load}, before the first request. */
  loadCredentials(): ApiCredential[] {
    return []
  }

  /** Every stored credential, oldest first. */
  async load(): Promise<ApiCredential[]> {
    const ids = await this.redis.zrange(`${PREFIX}credo`, 0, -1)
    if (ids.length === 0) return []
    const rows = await this.redis.hmget(`${PREFIX}cred`, ...ids)
    return rows.flatMap((r) => (r === null ? [] : [JSON.parse(r) as ApiCredential]))
  }

  /** The script chooses what makes room: the oldest deactivated one as it is stored now. */
  async saveCredential(
    credential: ApiCredential,
    _forget?: string,
    previous?: ApiCredential,
  ): Promise<void> {
    const json = JSON.stringify(credential)
    const base = previous ? JSON.stringify(previous) : ''
    const { clientId, type } = credential
    const outcome = await this.call('save', clientId, json, base, String(this.max))
    await this.sync()
    if (outcome === 'ok') return
    if (outcome === 'gone') throw problem.notFound(`No ${label(type)} ${clientId}`)
    if (outcome === 'full') throw credentialsFull(this.max)
    throw new JumioProblem(
      PROBLEMS.conflict,
      `${clientId} was changed meanwhile through another replica; read it again and retry`,
    )
  }

  async deleteCredentials(tenant?: string): Promise<void> {
    await this.call('delete', tenant ?? '')
    await this.sync()
  }
}
