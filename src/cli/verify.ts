/**
 * @module `jumio-mock verify --base-url URL`: runs the whole API-channel flow against any
 * Jumio-compatible target and checks every response against the contract.
 */
import { ConfigError, parseFlagsWith } from '../config.js'
import { parseDuration } from '../duration.js'
import { REPORTERS, verify } from '../verify/run.js'
import type { Reporter } from '../verify/run.js'
import { option } from './command.js'
import type { CliContext, Command, HelpOption } from './command.js'

/** `--reporter`, shared with verify-callbacks (one variable for a CI running both). */
export const REPORTER: HelpOption = {
  ...option('reporter', 'JUMIO_VERIFY_REPORTER', 'text', 'text, junit or json'),
  choices: REPORTERS,
}

const VERIFY_OPTIONS: readonly HelpOption[] = [
  option(
    'base-url',
    'JUMIO_VERIFY_BASE_URL',
    '',
    'Base URL of every host family (the mock: http://127.0.0.1:3000)',
    'url',
  ),
  option(
    'region',
    'JUMIO_VERIFY_REGION',
    '',
    "A real tenant's region (amer-1, emea-1, apac-1): https://<family>.<region>.jumio.ai",
  ),
  option(
    'auth-url',
    'JUMIO_VERIFY_AUTH_URL',
    '',
    'Base URL of the auth. host (default: --base-url or the region)',
    'url',
  ),
  option('account-url', 'JUMIO_VERIFY_ACCOUNT_URL', '', 'Base URL of the account. host', 'url'),
  option(
    'api-url',
    'JUMIO_VERIFY_API_URL',
    '',
    'Base URL of the api. host (upload URLs come from the responses)',
    'url',
  ),
  option(
    'retrieval-url',
    'JUMIO_VERIFY_RETRIEVAL_URL',
    '',
    'Base URL of the retrieval. host',
    'url',
  ),
  option('client-id', 'JUMIO_CLIENT_ID', 'verify', 'OAuth2 client id'),
  option('client-secret', 'JUMIO_CLIENT_SECRET', 'verify-secret', 'OAuth2 client secret'),
  option(
    'workflows',
    'JUMIO_VERIFY_WORKFLOWS',
    '10011,10013,10010',
    'Workflow definition keys to run the flow for',
  ),
  option(
    'checks',
    'JUMIO_VERIFY_CHECKS',
    '',
    'Only checks whose id starts with one of these (comma-separated), e.g. 10011:upload,scenario',
  ),
  REPORTER,
  option(
    'poll-timeout',
    'JUMIO_VERIFY_POLL_TIMEOUT',
    '120s',
    'Longest wait for PROCESSED',
    'duration',
  ),
  option(
    'user-agent',
    'JUMIO_VERIFY_USER_AGENT',
    'jumio-mock-verify/1.0',
    'User-Agent sent on every call (Jumio requires one)',
  ),
]

/** The `verify` command. */
export const verifyCommand: Command = {
  summary: 'Run the whole flow against a base URL and check every response against the contract',
  usage: '--base-url URL [options]',
  options: VERIFY_OPTIONS,
  notes:
    'Scenario checks run only when the target has the mock admin API. Exit code 0 only when every check passed.',
  run: runVerify,
}

async function runVerify(argv: string[], ctx: CliContext): Promise<number> {
  const v = parseFlagsWith(VERIFY_OPTIONS, argv, ctx.env)
  const region = v.get('region') ?? ''
  const base = (family: string) => {
    const own = v.get(`${family}-url`) ?? ''
    if (own) return own.replace(/\/+$/, '')
    if (v.get('base-url')) return (v.get('base-url') ?? '').replace(/\/+$/, '')
    if (region) return `https://${family}.${region}.jumio.ai`
    throw new ConfigError('verify needs --base-url URL or --region REGION')
  }
  const results = await verify({
    target: {
      auth: base('auth'),
      account: base('account'),
      api: base('api'),
      retrieval: base('retrieval'),
      status: base('status'),
      clientId: v.get('client-id') ?? '',
      clientSecret: v.get('client-secret') ?? '',
      userAgent: v.get('user-agent') ?? '',
    },
    workflows: (v.get('workflows') ?? '').split(',').filter(Boolean),
    only: (v.get('checks') ?? '').split(',').filter(Boolean),
    reporter: v.get('reporter') as Reporter,
    pollTimeoutMs: parseDuration(v.get('poll-timeout') ?? '120s'),
    out: ctx.stdout,
  })
  return results.every((r) => r.ok) ? 0 : 1
}
