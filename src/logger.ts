/**
 * @module The logger every part of the mock writes to: an interface, so that the CLI's batched
 * JSON or pretty lines, the tests' silence and the default below are interchangeable.
 */

/** A minimal structured logger. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

/** Logs JSON lines to stderr: the default where no other logger is given. */
export const consoleLogger: Logger = {
  info: (msg, fields) => {
    console.error(JSON.stringify({ level: 'info', msg, ...fields }))
  },
  warn: (msg, fields) => {
    console.error(JSON.stringify({ level: 'warn', msg, ...fields }))
  },
  error: (msg, fields) => {
    console.error(JSON.stringify({ level: 'error', msg, ...fields }))
  },
}
