/**
 * @module What closing an instance must stop and wait for: a signal its waits end on (a fault's
 * latency), and the requests its handlers still run, so that nothing of a closed instance reaches
 * its database, schedules a timer or sends a callback afterwards (an in-process mock in a test
 * suite is closed between tests; a CLI process stops), and the bounded wait both use.
 */
import { setMaxListeners } from 'node:events'

/**
 * An AbortController whose signal takes any number of listeners: every request's wait and every
 * callback attempt listens to one, and Node warns past 10 (no leak: each listener is removed).
 */
export function quietController(): AbortController {
  const controller = new AbortController()
  setMaxListeners(0, controller.signal)
  return controller
}

/** Resolves true when `work` finishes within `ms`, false when the time runs out first. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false)
    }, ms)
  })
  try {
    return await Promise.race([work.then(() => true as const), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** The requests running, and the signal that the instance is closing. */
export class InFlight {
  private readonly controller = quietController()
  private active = 0
  private waiting: (() => void)[] = []

  /** Aborted once the instance closes: long waits end on it. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** The instance is closing: every wait on {@link signal} ends now. */
  stop(): void {
    this.controller.abort(new Error('the mock is closing'))
  }

  /** Counts a request from its first middleware to its end. */
  async around(run: () => Promise<void>): Promise<void> {
    this.active++
    try {
      await run()
    } finally {
      this.active--
      if (this.active === 0) for (const resolve of this.waiting.splice(0)) resolve()
    }
  }

  /** Resolves once no request runs. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiting.push(resolve)
    })
  }
}
