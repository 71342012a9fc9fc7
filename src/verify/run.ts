/**
 * @module Runs the verification checks in order and reports them: a progress line per check,
 * or JUnit XML / JSON for CI. Exit code 0 only when every check passed.
 */
import type { Writable } from 'node:stream'
import { CheckFailure, VerifyClient } from './client.js'
import type { Target } from './client.js'
import { flowChecks, scenarioChecks } from './checks.js'
import type { Check } from './checks.js'

/** How a run is reported (`--reporter` of verify and verify-callbacks). */
export const REPORTERS = ['text', 'junit', 'json'] as const
export type Reporter = (typeof REPORTERS)[number]

/** Options of a verification run. */
export interface VerifyOptions {
  target: Target
  workflows: string[]
  /** Only checks whose id starts with one of these (e.g. `10011`, `10011:upload`, `scenario`). */
  only: string[]
  reporter: Reporter
  pollTimeoutMs: number
  out: Writable
}

/** One check's outcome. */
export interface CheckResult {
  id: string
  title: string
  ok: boolean
  skipped: boolean
  durationMs: number
  error?: string
}

/** Runs every selected check; returns the results (the caller sets the exit code). */
export async function verify(options: VerifyOptions): Promise<CheckResult[]> {
  const client = new VerifyClient(options.target)
  const mock = await hasAdminApi(options.target.status)
  client.open = !mock
  const checks: Check[] = options.workflows.flatMap((key) =>
    flowChecks(client, key, options.pollTimeoutMs, mock),
  )
  if (mock) checks.push(...scenarioChecks(client))
  const selected = select(checks, options.only)
  const results: CheckResult[] = []
  for (const check of selected) {
    const started = performance.now()
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      ok: true,
      skipped: false,
      durationMs: 0,
    }
    try {
      await check.run()
    } catch (err) {
      result.ok = false
      result.error =
        err instanceof CheckFailure
          ? err.message
          : `${(err as Error).name}: ${(err as Error).message}`
    }
    result.durationMs = Math.round(performance.now() - started)
    results.push(result)
    if (options.reporter === 'text') {
      options.out.write(
        `${result.ok ? 'ok  ' : 'FAIL'} ${check.title} (${String(result.durationMs)} ms)${result.error ? `\n     ${result.error}` : ''}\n`,
      )
    }
  }
  options.out.write(report(results, options.reporter))
  return results
}

/** The mock's admin API answers; a real Jumio tenant does not have one. */
async function hasAdminApi(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/__admin/health`, { signal: AbortSignal.timeout(3000) })
    // 401 with a problem body: the mock's admin API, protected by its admin token; 503: the
    // mock's, in durable mode on a disk that refuses writes
    return (
      (res.ok || res.status === 401 || res.status === 503) &&
      (res.headers.get('Content-Type') ?? '').includes('json')
    )
  } catch {
    return false
  }
}

function report(results: CheckResult[], reporter: VerifyOptions['reporter']): string {
  const failed = results.filter((r) => !r.ok)
  if (reporter === 'json')
    return `${JSON.stringify({ passed: results.length - failed.length, failed: failed.length, checks: results }, null, 2)}\n`
  if (reporter === 'junit') {
    return junit(
      'jumio-mock verify',
      results.map((r) => ({ name: r.title, ok: r.ok, durationMs: r.durationMs, error: r.error })),
    )
  }
  return `\n${String(results.length - failed.length)} passed, ${String(failed.length)} failed\n`
}

/** A JUnit XML report of a suite's cases, for CI. */
export function junit(
  suite: string,
  cases: { name: string; ok: boolean; durationMs: number; error?: string | undefined }[],
): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  const classname = suite.replace(/ /g, '.')
  const failures = cases.filter((c) => !c.ok).length
  const lines = cases.map((c) => {
    const head = `  <testcase classname="${esc(classname)}" name="${esc(c.name)}" time="${(c.durationMs / 1000).toFixed(3)}"`
    return c.ok
      ? `${head}/>`
      : `${head}>\n    <failure message="${esc(c.error ?? '')}"/>\n  </testcase>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${esc(suite)}" tests="${String(cases.length)}" failures="${String(failures)}">\n${lines.join('\n')}\n</testsuite>\n`
}

/**
 * The checks whose id starts with one of `only`; the checks of one workflow key share one
 * journey, so a later one brings the earlier ones of its journey along.
 */
function select(checks: Check[], only: string[]): Check[] {
  if (only.length === 0) return checks
  const wanted = (c: Check) => only.some((p) => c.id.startsWith(p))
  return checks.filter((c, i) => {
    const journey = c.id.split(':')[0] ?? ''
    return (
      wanted(c) ||
      (/^\d+$/.test(journey) &&
        checks.slice(i).some((l) => l.id.startsWith(`${journey}:`) && wanted(l)))
    )
  })
}
