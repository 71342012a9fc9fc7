/**
 * @module The injected clock. Every deadline (token expiry, session timeout, processing,
 * callbacks) is read from here and never from `Date.now()`, so tests and the admin API can move
 * time and make what falls due happen at once, in order (ARCHITECTURE "State").
 */

interface Timer {
  at: number
  seq: number
  run: () => void
}

/** Options for a {@link Clock}. */
export interface ClockOptions {
  /** Start time in epoch ms; defaults to the wall clock. */
  start?: number
  /** A frozen clock only moves through {@link Clock.advance}; timers never fire on their own. */
  frozen?: boolean
}

/** A clock with an offset that can be advanced, and timers that fire on the clock's time. */
export class Clock {
  private offset: number
  private readonly frozenAt: number | null
  private readonly timers: Timer[] = []
  private seq = 0
  private wake: NodeJS.Timeout | null = null

  constructor(options: ClockOptions = {}) {
    const wall = Date.now()
    this.frozenAt = options.frozen ? (options.start ?? wall) : null
    this.offset = options.frozen ? 0 : (options.start ?? wall) - wall
  }

  /** The current time in epoch milliseconds. */
  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offset
  }

  /** How far the clock has been moved from real (or frozen) time. */
  get skew(): number {
    return this.offset
  }

  /** Runs `run` once the clock reaches `at`; returns a function that cancels it. */
  schedule(at: number, run: () => void): () => void {
    const timer: Timer = { at, seq: this.seq++, run }
    this.timers.push(timer)
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
    this.arm()
    return () => {
      const i = this.timers.indexOf(timer)
      if (i >= 0) this.timers.splice(i, 1)
      this.arm()
    }
  }

  /** Moves time forward and fires every timer that falls due, earliest first. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward')
    this.offset += ms
    this.fireDue()
  }

  /** Cancels every pending timer (reset, shutdown). */
  clear(): void {
    this.timers.length = 0
    this.arm()
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.timers.length
  }

  private fireDue(): void {
    for (;;) {
      const next = this.timers[0]
      if (!next || next.at > this.now()) break
      this.timers.shift()
      next.run()
    }
    this.arm()
  }

  /** Keeps one real timeout armed for the earliest timer (never on a frozen clock). */
  private arm(): void {
    if (this.wake) clearTimeout(this.wake)
    this.wake = null
    const next = this.timers[0]
    if (!next || this.frozenAt !== null) return
    const delay = Math.min(Math.max(next.at - this.now(), 0), 2 ** 31 - 1)
    this.wake = setTimeout(() => {
      this.fireDue()
    }, delay)
    this.wake.unref()
  }
}

/** ISO-8601 UTC with exactly three fractional digits, as Jumio writes it ([D] REFERENCE §4.4). */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString()
}
