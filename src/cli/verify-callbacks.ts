/**
 * @module `jumio-mock verify-callbacks --url CLIENT_CALLBACK_URL`: sends every terminal status's
 * callback, a duplicate and an out-of-order pair to the client's endpoint and reports per case
 * whether it answered 2xx in time and then fetched the details.
 */
import { ConfigError, parseFlagsWith } from '../config.js'
import { parseDuration } from '../duration.js'
import { startMockJumio } from '../testing/mock-jumio.js'
import { checkCallbacks } from '../verify/callbacks.js'
import type { CallbackCaseResult } from '../verify/callbacks.js'
import { junit } from '../verify/run.js'
import { option } from './command.js'
import { REPORTER } from './verify.js'
import type { CliContext, Command, HelpOption } from './command.js'

const OPTIONS: readonly HelpOption[] = [
  option('url', 'JUMIO_VERIFY_CALLBACK_URL', '', "The client's callback endpoint", 'url'),
  option(
    'mock-url',
    'JUMIO_VERIFY_MOCK_URL',
    '',
    'A running mock to send from (default: start one in-process)',
    'url',
  ),
  option(
    'client-id',
    'JUMIO_CLIENT_ID',
    'callback-check',
    'The OAuth2 client id your code uses (its fetches must find the workflows)',
  ),
  option(
    'admin-token',
    'JUMIO_MOCK_ADMIN_TOKEN',
    '',
    "The running mock's admin token, if it has one",
  ),
  option(
    'fetch-wait',
    'JUMIO_VERIFY_FETCH_WAIT',
    '3s',
    'How long the client has to fetch the details after the callbacks',
    'duration',
  ),
  option(
    'answer-timeout',
    'JUMIO_VERIFY_ANSWER_TIMEOUT',
    '5s',
    'An answer slower than this is not in time',
    'duration',
  ),
  option(
    'require-fetch',
    'JUMIO_VERIFY_REQUIRE_FETCH',
    'false',
    "Fail when the client does not fetch the details (Jumio's best practice)",
    'bool',
  ),
  REPORTER,
]

/** The `verify-callbacks` command. */
export const verifyCallbacksCommand: Command = {
  summary: "Send every callback case to a client's endpoint and report how it answered",
  usage: '--url CLIENT_CALLBACK_URL [options]',
  options: OPTIONS,
  notes:
    'Exit code 0 when every callback was answered 2xx in time (and fetched, with --require-fetch).',
  run: runVerifyCallbacks,
}

async function runVerifyCallbacks(argv: string[], ctx: CliContext): Promise<number> {
  const v = parseFlagsWith(OPTIONS, argv, ctx.env)
  const url = v.get('url') ?? ''
  if (!url) throw new ConfigError('verify-callbacks needs --url CLIENT_CALLBACK_URL')
  const running = v.get('mock-url') ?? ''
  const mock = running
    ? null
    : await startMockJumio({
        flags: ['--callback-timeout', v.get('answer-timeout') ?? '5s', '--callback-retries', '0'],
      })
  try {
    const results = await checkCallbacks({
      mockUrl: running || (mock?.url ?? ''),
      clientUrl: url,
      fetchWaitMs: parseDuration(v.get('fetch-wait') ?? '3s'),
      timeoutMs: parseDuration(v.get('answer-timeout') ?? '5s'),
      adminToken: v.get('admin-token') || null,
      clientId: v.get('client-id') || 'callback-check',
    })
    const requireFetch = v.get('require-fetch') === 'true'
    const passed = (r: CallbackCaseResult) => r.inTime && (!requireFetch || r.fetchedDetails)
    const reporter = v.get('reporter')
    ctx.stdout.write(
      reporter === 'json'
        ? `${JSON.stringify(results, null, 2)}\n`
        : reporter === 'junit'
          ? junit(
              'jumio-mock verify-callbacks',
              results.map((r) => ({
                name: r.case,
                ok: passed(r),
                durationMs: r.durationMs ?? 0,
                error: passed(r) ? undefined : answerOf(r),
              })),
            )
          : text(results, passed),
    )
    return results.every(passed) ? 0 : 1
  } finally {
    await mock?.close()
  }
}

/** How the client answered a case, and whether it fetched the details. */
function answerOf(r: CallbackCaseResult): string {
  const answer =
    r.answered === null
      ? `no answer (${r.error ?? 'not sent'})`
      : `${String(r.answered)} in ${String(r.durationMs)} ms`
  return `${answer}; details ${r.fetchedDetails ? 'fetched' : 'NOT fetched'}`
}

function text(results: CallbackCaseResult[], passed: (r: CallbackCaseResult) => boolean): string {
  const lines = results.map((r) => `${passed(r) ? 'ok  ' : 'FAIL'} ${r.case}: ${answerOf(r)}`)
  const ok = results.filter(passed).length
  return `${lines.join('\n')}\n\n${String(ok)} passed, ${String(results.length - ok)} failed\n`
}
