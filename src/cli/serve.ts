/**
 * @module `jumio-mock serve` (the default command): start the mock, print one ready line, and on
 * SIGTERM or SIGINT shut down gracefully and exit 0. As PID 1 in a container nothing else would
 * handle those signals, so this is what makes `docker stop` quick and clean.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { ConfigError, loadConfig, OPTIONS } from '../config.js'
import type { Config } from '../config.js'
import { watchScenarios } from '../scenarios/watch.js'
import { serveApp } from '../server/http-server.js'
import { createDeps } from '../server/deps.js'
import type { AppDeps } from '../server/deps.js'
import type { CliContext, Command } from './command.js'
import { batchedLines, createLogger } from './logger.js'
import { shutdown } from './shutdown.js'

/** The `serve` command. */
export const serveCommand: Command = {
  summary: 'Start the mock; stop gracefully on SIGTERM or SIGINT (the default command)',
  usage: '[options]',
  options: OPTIONS,
  notes: `Start-up prints one line, "jumio-mock ready at URL (...)", on stdout; logs go to stderr.`,
  run: runServe,
}

async function runServe(argv: string[], ctx: CliContext): Promise<number> {
  const config = loadConfig(argv, ctx.env)
  const format = config.logFormat === 'auto' ? (ctx.isTTY ? 'pretty' : 'json') : config.logFormat
  const lines = batchedLines(ctx.stderr)
  const log = createLogger({ format, level: config.logLevel, write: lines.write })
  // whatever way the process ends, the lines logged in its last turn are written
  process.once('exit', lines.flush)
  // V8 may grow a busy heap to four times its live data before collecting it in full, and its
  // young generation to 32 MB. The growth factor also sets the limit that uploads' buffers count
  // against: at 20 % a full collection ran every few flows (10,000 flows: 10.5 ms of CPU a flow,
  // 280 MB); at 200 % 6.0 ms and 327 MB; V8's own choice with the small young generation 6.2-6.9
  // ms and 325-332 MB (measured, docs/benchmarks.md). Both flags are read when V8 resizes, so
  // setting them now works. Only here: never in a test's own process.
  if (config.heapGrowthPercent > 0) {
    setFlagsFromString(`--heap-growing-percent=${String(config.heapGrowthPercent)}`)
    setFlagsFromString('--semi-space-growth-factor=1') // the young generation keeps its first size
  }
  const deps =
    config.redisUrl === null
      ? createDeps(config, { log })
      : await (
          await import('../server/redis/deps.js')
        ).createRedisDeps(config, { log }, (line) => ctx.stderr.write(`${line}\n`))
  // durable mode: deadlines and callbacks pending before a restart are armed again
  if (config.dataDir !== null) log.info('resumed', { ...(await deps.workflows.resume()) })
  const unwatch = config.watchScenarios ? watchScenarios(deps.scenarios, log) : undefined
  const server = await listen(deps).catch((err: unknown) => {
    unwatch?.()
    throw err
  })
  ctx.stdout.write(`${readyLine(config, deps, server)}\n`)
  const signal = await nextSignal()
  log.info('shutting down', { signal, timeoutMs: config.shutdownTimeoutMs })
  // A second signal while waiting means "now": exit at once, as the user asked twice.
  const force = () => {
    log.warn('second signal: exiting without waiting')
    process.exit(130)
  }
  process.once('SIGTERM', force).once('SIGINT', force)
  const clean = await shutdown(server, deps.callbacks, config.shutdownTimeoutMs, log)
  unwatch?.()
  await deps.close()
  log.info('stopped', { clean })
  lines.flush()
  process.off('exit', lines.flush)
  return 0
}

/** A port in use, a host that does not exist...: exit code 1 with one line. */
export class ListenError extends Error {
  override name = 'ListenError'
}

/** Listens on the configured host and port; rejects with a {@link ListenError}. */
function listen(deps: AppDeps): Promise<Server> {
  const { port, host } = deps.config
  return new Promise((resolve, reject) => {
    const server = serveApp(deps, port, host)
    server.once('error', (err: NodeJS.ErrnoException) => {
      // --tls with a CA that cannot be used: a configuration error, not a listening one
      if (err instanceof ConfigError) {
        reject(err)
        return
      }
      reject(
        new ListenError(`Cannot listen on ${host}:${String(port)}: ${err.code ?? err.message}`),
      )
    })
    server.once('listening', () => {
      server.removeAllListeners('error')
      resolve(server)
    })
  })
}

/** Resolves with the first SIGTERM or SIGINT. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on).off('SIGINT', on)
      resolve(signal)
    }
    process.on('SIGTERM', on).on('SIGINT', on)
  })
}

/** `jumio-mock ready at URL (scenarios FILE, active scenario "NAME", admin URL/__admin, ...)` */
export function readyLine(config: Readonly<Config>, deps: AppDeps, server: Server): string {
  const { port } = server.address() as AddressInfo
  const url = `${config.tls ? 'https' : 'http'}://${connectHost(config.host)}:${port}`
  const active = deps.tenants.global.activeScenario ?? deps.scenarios.default.name
  const bind = connectHost(config.host) === config.host ? [] : [`listening on ${config.host}`]
  return `jumio-mock ready at ${url} (${[
    ...bind,
    `scenarios ${deps.scenarios.path}`,
    `active scenario "${active}"`,
    `admin ${url}/__admin`,
    `docs ${url}/__admin/docs`,
    ...(config.tls ? [`CA ${config.ca.cert}`] : []),
  ].join(', ')})`
}

/** A host a client can connect to: the loopback for wildcard binds, IPv6 in brackets. */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}
