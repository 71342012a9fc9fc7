/**
 * @module The process logger: one JSON object a line, or compact text for a terminal, with
 * levels. Secrets never reach a line: fields named like a token or secret and anything shaped
 * like a JWS (access and transaction tokens) are replaced before writing.
 */
import type { Logger } from '../logger.js'

/** Levels, least severe first. */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const
/** A log level. */
export type LogLevel = (typeof LEVELS)[number]

/** A logger that also has `debug`. */
export interface LevelLogger extends Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
}

/** How lines are written. */
export interface LoggerOptions {
  format: 'json' | 'pretty'
  level: LogLevel
  write: (line: string) => void
  now?: () => Date
}

const SECRET_KEY = /token|secret|password|authorization|cookie|credentials?$/i
// Compact JWS: access tokens, transaction tokens (header.payload.signature, base64url).
const JWS = /eyJ[\w-]{4,}\.[\w-]+\.[\w-]*/g
const BASIC = /\b(Basic|Bearer)\s+[\w+/=.-]+/gi

// What either pattern needs to match: most strings have neither, and skip both replacements.
const SUSPECT = /eyJ|basic|bearer/i

/** Replaces secrets in a field value, recursively. */
export function redact(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== null && value !== undefined) return '[redacted]'
  if (typeof value === 'string') {
    if (!SUSPECT.test(value)) return value
    return value.replace(JWS, '[redacted]').replace(BASIC, '$1 [redacted]')
  }
  if (Array.isArray(value)) return value.map((v) => redact(v))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k)
    return out
  }
  return value
}

/** Builds a logger that drops lines below `level`. */
export function createLogger(options: LoggerOptions): LevelLogger {
  const min = LEVELS.indexOf(options.level)
  const now = options.now ?? (() => new Date())
  const emit =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(level) < min) return
      const safe = redact(fields) as Record<string, unknown>
      const text = redact(msg) as string
      options.write(
        options.format === 'json'
          ? JSON.stringify({ time: now().toISOString(), level, msg: text, ...safe })
          : pretty(now(), level, text, safe),
      )
    }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

/** Lines written in batches, and how to write what is pending at once. */
export interface BatchedLines {
  write: (line: string) => void
  flush: () => void
}

const BATCH_BYTES = 64 * 1024

/**
 * Writes lines in batches: the lines logged during one turn of the event loop go out in one
 * write after it (or once 64 kB are pending). One write per request line cost a system call per
 * request, since stderr is synchronous on pipes and files: a quarter of a status read's CPU,
 * measured. Call `flush()` before exiting.
 */
export function batchedLines(out: { write: (text: string) => unknown }): BatchedLines {
  let pending: string[] = []
  let bytes = 0
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (pending.length === 0) return
    const text = pending.join('')
    pending = []
    bytes = 0
    out.write(text)
  }
  const write = (line: string) => {
    pending.push(`${line}\n`)
    bytes += line.length + 1
    if (bytes >= BATCH_BYTES) flush()
    else if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
  return { write, flush }
}

/** `12:00:01.042 INFO  POST /api/v1/accounts 200 12ms createAccount key=value ...` */
function pretty(time: Date, level: LogLevel, msg: string, fields: Record<string, unknown>): string {
  const clock = time.toISOString().slice(11, 23)
  const tag = level.toUpperCase().padEnd(5)
  const { method, path, status, durationMs, operation, ...rest } = fields
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '-')
  const head =
    msg === 'request'
      ? `${text(method)} ${text(path)} ${text(status)} ${text(durationMs)}ms ${text(operation)}`
      : msg
  const tail = Object.entries(msg === 'request' ? rest : fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
  return [clock, tag, head, ...tail].join(' ')
}
