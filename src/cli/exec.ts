/**
 * @module `jumio-mock exec [options] -- <command...>`: the one-liner for a client team's CI.
 * Starts an isolated mock, exports its URLs, runs the command, prints the violations summary,
 * stops the mock and exits with the command's code (or 1 with `--fail-on-violations` when the
 * client broke Jumio's contract).
 */
import { spawn } from 'node:child_process'
import { ConfigError, OPTIONS, parseFlagsWith } from '../config.js'
import { NOT_IN_PROCESS, startMockJumio, violationLines } from '../testing/mock-jumio.js'
import type { MockJumio } from '../testing/mock-jumio.js'
import type { CliContext, Command, HelpOption } from './command.js'

const FAIL_ON_VIOLATIONS: HelpOption = {
  flag: 'fail-on-violations',
  env: 'JUMIO_MOCK_FAIL_ON_VIOLATIONS',
  kind: 'bool',
  default: 'false',
  help: 'Exit 1 when the command passed but its requests broke the contract',
}

/** The `exec` command. */
export const execCommand: Command = {
  summary: 'Start the mock, run a command against it (JUMIO_MOCK_URL...), print violations, stop',
  usage: '[options] -- <command> [args...]',
  // the mock runs in-process: the options it cannot honour are not exec's (mock-jumio.ts)
  options: [FAIL_ON_VIOLATIONS, ...OPTIONS.filter((o) => !NOT_IN_PROCESS.includes(o.flag))],
  notes: `The command gets JUMIO_MOCK_URL and JUMIO_MOCK_{AUTH,ACCOUNT,API,RETRIEVAL,STATUS}_URL.`,
  run: runExec,
}

async function runExec(argv: string[], ctx: CliContext): Promise<number> {
  const split = argv.indexOf('--')
  if (split < 0 || split === argv.length - 1) {
    throw new ConfigError('exec needs a command after "--", e.g. jumio-mock exec -- npm test')
  }
  const [program = '', ...args] = argv.slice(split + 1)
  // exec's own flag, read as serve reads a boolean; the other flags are the mock's
  const options = argv.slice(0, split)
  const own = (f: string) => /^--fail-on-violations(=|$)/.test(f)
  const flags = options.filter((f) => !own(f))
  const mine = parseFlagsWith([FAIL_ON_VIOLATIONS], options.filter(own), ctx.env)
  const strict = mine.get(FAIL_ON_VIOLATIONS.flag) === 'true'
  // the environment's values of options exec cannot honour (a CI's settings for a service
  // container, say) are not exec's either
  const ignored = new Set(OPTIONS.filter((o) => NOT_IN_PROCESS.includes(o.flag)).map((o) => o.env))
  const env = Object.fromEntries(Object.entries(ctx.env).filter(([k]) => !ignored.has(k)))
  const mock = await startMockJumio({ flags, env })
  try {
    ctx.stderr.write(`jumio-mock: running "${[program, ...args].join(' ')}" against ${mock.url}\n`)
    const code = await run(program, args, { ...ctx.env, ...urlsOf(mock) })
    const violations = await mock.violations()
    ctx.stderr.write(summary(violations))
    return code === 0 && strict && violations.length > 0 ? 1 : code
  } finally {
    await mock.close()
  }
}

/** The environment a client's tests read to find the mock. */
export function urlsOf(mock: MockJumio): Record<string, string> {
  const { urls } = mock
  return {
    JUMIO_MOCK_URL: mock.url,
    JUMIO_MOCK_AUTH_URL: urls.auth,
    JUMIO_MOCK_ACCOUNT_URL: urls.account,
    JUMIO_MOCK_API_URL: urls.api,
    JUMIO_MOCK_RETRIEVAL_URL: urls.retrieval,
    JUMIO_MOCK_STATUS_URL: urls.status,
  }
}

function run(
  program: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: 'inherit', env })
    child.once('error', () => {
      resolve(127)
    })
    child.once('exit', (code, signal) => {
      resolve(code ?? (signal ? 128 : 1))
    })
  })
}

function summary(violations: Awaited<ReturnType<MockJumio['violations']>>): string {
  if (violations.length === 0) return 'jumio-mock: no contract violations\n'
  const lines = violationLines(violations).map((line) => `  ${line}`)
  return `jumio-mock: ${String(violations.reduce((n, g) => n + g.count, 0))} contract violation(s):\n${lines.join('\n')}\n`
}
