/**
 * @module The console's clock panel: the tenant's time, advancing it, and resetting all state
 * (`/__admin/clock…`, `/__admin/reset`).
 */
import { adminApi, adminGet } from '../console-api.js'
import type { ConsoleContext, Panel } from '../console-panel.js'
import { byId, valueOf } from '../dom.js'

const MARKUP = `<section aria-labelledby="clock-h">
<h2 id="clock-h">Clock</h2>
<p>Now: <span id="clock-now" class="code">–</span> (moved by <span id="clock-skew">0</span> ms)</p>
<div class="row">
<div><label for="advance-by">Advance by (ms, or 30s, 15m, 2h, 1d)</label><input type="text" id="advance-by" value="15m"></div>
<div><button type="button" id="advance">Advance</button></div>
</div>
<h2>Reset</h2>
<p class="hint" id="reset-hint">Clears accounts, workflow executions, callbacks, overrides and the clock.</p>
<button type="button" class="danger" id="reset" aria-describedby="reset-hint">Reset all state</button>
</section>`

function wire(ctx: ConsoleContext): void {
  byId('advance').addEventListener('click', () => {
    ctx.act(() => adminApi('POST', '/clock/advance', { ms: durationMs(valueOf('advance-by')) }))
  })
  byId('reset').addEventListener('click', () => {
    ctx.act(() => adminApi('POST', '/reset'))
  })
}

/** `1500`, `30s`, `15m`, `2h` or `1d` in milliseconds. */
function durationMs(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text)
  if (!m) throw new Error(`Cannot read "${text}" as a duration`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1
  return Number(m[1]) * unit
}

async function refresh(): Promise<void> {
  const clock = await adminGet('getClock', '/clock')
  if (!clock) return
  byId('clock-now').textContent = clock.now
  byId('clock-skew').textContent = String(clock.skewMs)
}

/** The clock panel. */
export const clockPanel: Panel = { markup: MARKUP, wire, refresh }
