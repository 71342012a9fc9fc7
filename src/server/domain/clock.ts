/**
 * @module The injected clock. Every deadline (token expiry, session timeout, processing,
 * callbacks) is read from here and never from `Date.now()`, so tests and the admin API can move
 * time and make what falls due happen at once, in order.
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

/**
 * A clock with an offset that can be advanced, and timers that fire on the clock's time.
 * A child clock (one per tenant) reads its parent's time plus its own offset: advancing the
 * parent moves every child, advancing a child moves only that child.
 */
export class Clock {
  private offset: number
  private readonly initialOffset: number
  private readonly frozenAt: number | null
  private readonly parent: Clock | null
  private readonly children = new Set<Clock>()
  private readonly timers: Timer[] = []
  private seq = 0
  private wake: NodeJS.Timeout | null = null

  constructor(options: ClockOptions = {}, parent: Clock | null = null) {
    const wall = Date.now()
    this.parent = parent
    this.frozenAt = options.frozen && !parent ? (options.start ?? wall) : null
    this.offset = parent || options.frozen ? 0 : (options.start ?? wall) - wall
    this.initialOffset = this.offset
  }

  /** A clock that follows this one, with its own offset and timers. */
  child(): Clock {
    const child = new Clock({}, this)
    this.children.add(child)
    return child
  }

  /** Detaches a child clock and cancels its timers. */
  release(child: Clock): void {
    child.clear()
    this.children.delete(child)
  }

  /** The current time in epoch milliseconds. */
  now(): number {
    if (this.parent) return this.parent.now() + this.offset
    return (this.frozenAt ?? Date.now()) + this.offset
  }

  /** True when time only moves through {@link Clock.advance}. */
  get frozen(): boolean {
    return this.parent ? this.parent.frozen : this.frozenAt !== null
  }

  /** How far the clock has been moved from real (or frozen) time. */
  get skew(): number {
    return this.offset - this.initialOffset
  }

  /** Runs `run` once the clock reaches `at`; returns a function that cancels it. */
  schedule(at: number, run: () => void): () => void {
    const timer: Timer = { at, seq: this.seq++, run }
    // binary insertion keeps the list ordered by time, then by scheduling order
    let lo = 0
    let hi = this.timers.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.timers[mid]?.at ?? 0) <= at) lo = mid + 1
      else hi = mid
    }
    this.timers.splice(lo, 0, timer)
    if (lo === 0) this.arm()
    return () => {
      const i = this.timers.indexOf(timer)
      if (i < 0) return
      this.timers.splice(i, 1)
      if (i === 0) this.arm()
    }
  }

  /** Moves time forward and fires every timer that falls due, earliest first. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward')
    this.offset += ms
    this.fireDue()
  }

  /** Undoes every {@link Clock.advance} (admin reset). */
  resetSkew(): void {
    this.offset = this.initialOffset
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
    for (const child of this.children) child.fireDue()
    this.arm()
  }

  /** Keeps one real timeout armed for the earliest timer (never on a frozen clock). */
  private arm(): void {
    if (this.wake) clearTimeout(this.wake)
    this.wake = null
    const next = this.timers[0]
    // A frozen clock only fires what is already due (time never moves by itself).
    if (!next || (this.frozen && next.at > this.now())) return
    const delay = Math.min(Math.max(next.at - this.now(), 0), 2 ** 31 - 1)
    this.wake = setTimeout(() => {
      this.fireDue()
    }, delay)
    this.wake.unref()
  }
}

/** ISO-8601 UTC with exactly three fractional digits, as Jumio writes it ([D] jumio-reference §4.4). */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString()
}
