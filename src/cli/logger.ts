/**
 * @module The process logger: one JSON object a line, or compact text for a terminal, with
 * levels. Secrets never reach a line: fields named like a token or secret and anything shaped
 * like a JWS (access and transaction tokens) are replaced before writing.
 */
import type { Logger } from '../server/deps.js'

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

/** Replaces secrets in a field value, recursively. */
export function redact(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== null && value !== undefined) return '[redacted]'
  if (typeof value === 'string')
    return value.replace(JWS, '[redacted]').replace(BASIC, '$1 [redacted]')
  if (Array.isArray(value)) return value.map((v) => redact(v))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]))
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
