/**
 * @module What closing an instance must stop and wait for: a signal its waits end on (a fault's
 * latency), and the requests its handlers still run, so that nothing of a closed instance reaches
 * its database, schedules a timer or sends a callback afterwards (an in-process mock in a test
 * suite is closed between tests; a CLI process stops).
 */

/** The requests running, and the signal that the instance is closing. */
export class InFlight {
  private readonly controller = new AbortController()
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
