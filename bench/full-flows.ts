/**
 * Full flows (bench/flow.ts) on every target of a run: the mock, its peers and the floor's levels,
 * all running at once and measured in turn, round after round, so that a change in the machine's
 * load falls on all of them alike. 8 concurrent flows.
 */
import { runFlow } from './flow.js'
import { measure } from './measure.js'
import type { Measure } from './measure.js'
import type { Target } from './targets.js'

/** What kind of server a target is, for the report. */
export type Group = 'mock' | 'peer' | 'floor'

/** A target and how it is measured. */
export interface FlowTarget {
  target: Target
  group: Group
  /** Rounds it takes part in (Prism: one, it takes seconds a flow). */
  rounds: number
  /** Seconds of a round, when not the run's. */
  seconds?: number
}

/** One target's figures: its start and each round. */
export interface FlowResult {
  name: string
  group: Group
  readyMs: number
  idleRssMb: number
  rounds: Measure[]
}

const CONCURRENCY = 8

/** Warms every target up, then measures them in turn for `rounds` rounds of `seconds`. */
export async function measureFullFlows(
  targets: FlowTarget[],
  rounds: number,
  seconds: number,
  log: (line: string) => void,
): Promise<FlowResult[]> {
  const results = targets.map(({ target, group }) => ({
    name: target.name,
    group,
    readyMs: target.readyMs,
    idleRssMb: target.idleRssMb,
    rounds: [] as Measure[],
  }))
  for (const { target } of targets) {
    // compiled code and warm caches: a JVM needs seconds; a flow to Prism takes one
    const load = {
      concurrency: CONCURRENCY,
      seconds: 1,
      ...(target.name === 'Prism' && { maxCount: CONCURRENCY }),
    }
    const warm = await measure(target.pid, load, () => runFlow(target.http).then(() => undefined))
    if (warm.count === 0) throw new Error(`${target.name}: no flow completed: ${warm.error ?? ''}`)
  }
  for (let round = 0; round < rounds; round++) {
    for (const [i, t] of targets.entries()) {
      if (round >= t.rounds) continue
      const m = await measure(
        t.target.pid,
        { concurrency: CONCURRENCY, seconds: t.seconds ?? seconds },
        async () => {
          await runFlow(t.target.http)
        },
      )
      results[i]?.rounds.push(m)
      const fail = m.failed ? `, ${String(m.failed)} failed: ${m.error ?? ''}` : ''
      log(
        `${t.target.name}: ${m.perSec.toFixed(1)} flows/s, ${m.cpuMs.toFixed(2)} ms CPU a flow${fail}`,
      )
    }
    log(`full flows: round ${String(round + 1)} of ${String(rounds)}`)
  }
  return results
}
