/**
 * @module Durations as people write them: `500ms`, `2s`, `15m`, `1h`, `1d`, or plain milliseconds.
 */

/** Parses a duration into milliseconds; throws a RangeError naming the bad value. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim())
  if (!m) throw new RangeError(`"${value}" is not a duration (use e.g. 500ms, 2s, 15m, 1h)`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1
  return Number(m[1]) * unit
}
