/**
 * @module The API credentials configured at start-up: `--clients id:secret,...` (each
 * its own tenant, every permission, accepted both at the token endpoint and as Basic auth, as
 * before credentials had types) and `--credentials-file` (YAML or JSON, validated against
 * `contracts/credentials.schema.json`), whose OAuth2 clients and API users carry a tenant and
 * permissions. A problem in either stops start-up with the file, the path in it and the reason.
 */
import { readFileSync } from 'node:fs'
import { ajv2020, parseYaml } from '../../lazy-packages.js'
import { ConfigError } from '../../config.js'
import type { Config } from '../../config.js'
import { CONTRACTS_DIR } from '../../package-files.js'
import { ALL_PERMISSIONS } from './credential-model.js'
import type { ConfiguredCredential, Permission } from './credential-model.js'

interface FileEntry {
  name?: string
  tenant?: string
  permissions?: Permission[]
}

/** The credentials file's shape, as its schema allows it. */
interface CredentialsFile {
  oauth2Clients?: (FileEntry & { clientId: string; clientSecret: string })[]
  apiUsers?: (FileEntry & { apiToken: string; apiSecret: string })[]
}

/** Every configured credential; an id given twice (in either place) is a configuration error. */
export function configuredCredentials(
  config: Pick<Config, 'clients' | 'credentialsFile'>,
): ConfiguredCredential[] {
  const fromFlag = [...config.clients].map(([clientId, secret]): ConfiguredCredential => ({
    type: 'OAUTH2_CLIENT',
    clientId,
    secret,
    name: clientId,
    tenant: clientId,
    permissions: [...ALL_PERMISSIONS],
    basicToo: true,
  }))
  const fromFile =
    config.credentialsFile === null ? [] : loadCredentialsFile(config.credentialsFile)
  const seen = new Set<string>()
  for (const c of [...fromFlag, ...fromFile]) {
    if (seen.has(c.clientId)) {
      throw new ConfigError(
        `Credential "${c.clientId}" is configured twice (--clients, --credentials-file)`,
      )
    }
    seen.add(c.clientId)
  }
  return [...fromFlag, ...fromFile]
}

/** Reads and validates a credentials file. */
export function loadCredentialsFile(path: string): ConfiguredCredential[] {
  let data: unknown
  try {
    data = parseYaml(readFileSync(path, 'utf8'))
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? ''
    throw new ConfigError(`--credentials-file ${path}: cannot be read as YAML or JSON: ${reason}`)
  }
  const file = (data ?? {}) as CredentialsFile
  const validate = compile()
  if (!validate(file)) {
    const lines = (validate.errors ?? []).map(
      (e) => `  at ${e.instancePath || '/'}: ${e.message ?? 'invalid'}`,
    )
    throw new ConfigError(
      `--credentials-file ${path}: invalid credentials file\n${lines.join('\n')}`,
    )
  }
  const entry = (e: FileEntry, clientId: string, secret: string) => ({
    clientId,
    secret,
    name: e.name ?? clientId,
    tenant: e.tenant ?? clientId,
    permissions: [...(e.permissions ?? ALL_PERMISSIONS)],
  })
  return [
    ...(file.oauth2Clients ?? []).map((e): ConfiguredCredential => ({
      type: 'OAUTH2_CLIENT',
      ...entry(e, e.clientId, e.clientSecret),
    })),
    ...(file.apiUsers ?? []).map((e): ConfiguredCredential => ({
      type: 'API_USER',
      ...entry(e, e.apiToken, e.apiSecret),
    })),
  ]
}

/** The file's validator, compiled only when a file is given (a few ms at start-up). */
function compile() {
  const schema = JSON.parse(
    readFileSync(`${CONTRACTS_DIR}credentials.schema.json`, 'utf8'),
  ) as Record<string, unknown>
  const Ajv = ajv2020()
  return new Ajv({ allErrors: true, strict: false }).compile<CredentialsFile>(schema)
}
