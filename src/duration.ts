/**
 * @module Durations as people write them: `500ms`, `2s`, `15m`, `1h`, `1d`, or plain milliseconds.
 */

/** The longest duration accepted anywhere: a year (beyond it, dates overflow). */
export const MAX_DURATION_MS = 365 * 86_400_000
/** The longest a single Node timer can wait (about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Parses a duration into milliseconds, at most `max`; throws a RangeError naming the bad value.
 */
export function parseDuration(value: string, max = MAX_DURATION_MS): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim())
  if (!m) throw new RangeError(`"${value}" is not a duration (use e.g. 500ms, 2s, 15m, 1h)`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1
  const ms = Number(m[1]) * unit
  if (ms > max) {
    const limit =
      max === MAX_TIMER_MS ? '24d (the longest a timer waits)' : `${String(max / 86_400_000)}d`
    throw new RangeError(`"${value}" is longer than ${limit}`)
  }
  return ms
}
