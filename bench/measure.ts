/**
 * One measurement: `concurrency` loops repeat a piece of work (a flow, a request) against a
 * server process for some seconds, and the server's CPU and memory are read from /proc around
 * it. The machine is shared, so each measurement also records how many cores the other
 * processes kept busy meanwhile: a figure taken beside a busy neighbour is marked as such.
 */
import { cpuSecondsOf, machineBusySeconds, processTree, rssMbOf, selfCpuSeconds } from './procs.js'

/** What one measurement found. */
export interface Measure {
  /** Pieces of work completed (failed ones not counted). */
  count: number
  failed: number
  /** The first failure, as the driver saw it. */
  error?: string
  seconds: number
  perSec: number
  /** Server CPU (all threads, child processes included) per completed piece, in ms. */
  cpuMs: number
  /** Server RSS at the end and its highest sample, in MB. */
  rssMb: number
  peakRssMb: number
  /** Cores the rest of the machine (not the server, not this driver) kept busy meanwhile. */
  otherCores: number
  /** Cores this driver used (it shares the machine with the server). */
  driverCores: number
}

/** How long and how wide a measurement runs. */
export interface Load {
  concurrency: number
  seconds: number
  /** Stop starting work after this many pieces even when time is left. */
  maxCount?: number
}

/** Runs `work` in loops against the server `pid` and measures it. */
export async function measure(
  pid: number,
  load: Load,
  work: (loop: number) => Promise<void>,
): Promise<Measure> {
  const pids = processTree(pid)
  const cpu0 = cpuSecondsOf(pids)
  const busy0 = machineBusySeconds()
  const self0 = selfCpuSeconds()
  const t0 = performance.now()
  const end = t0 + load.seconds * 1000
  let peak = rssMbOf(pids)
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMbOf(pids))
  }, 500)
  let started = 0
  let count = 0
  let failed = 0
  let error: string | undefined
  const more = () =>
    performance.now() < end && (load.maxCount === undefined || started < load.maxCount)
  await Promise.all(
    Array.from({ length: load.concurrency }, async (_, loop) => {
      while (more() && failed < 50) {
        started += 1
        try {
          await work(loop)
          count += 1
        } catch (err) {
          failed += 1
          error ??= err instanceof Error ? err.message : String(err)
        }
      }
    }),
  )
  clearInterval(sampler)
  const seconds = (performance.now() - t0) / 1000
  const cpu = cpuSecondsOf(pids) - cpu0
  const self = selfCpuSeconds() - self0
  const rss = rssMbOf(pids)
  return {
    count,
    failed,
    ...(error !== undefined && { error }),
    seconds,
    perSec: count / seconds,
    cpuMs: count ? (cpu * 1000) / count : 0,
    rssMb: rss,
    peakRssMb: Math.max(peak, rss),
    otherCores: Math.max(0, (machineBusySeconds() - busy0 - cpu - self) / seconds),
    driverCores: self / seconds,
  }
}

/** The lowest and highest of some figures. */
export function range(xs: number[]): [number, number] {
  return xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 0]
}
