/**
 * Where a server's CPU time went, read from a V8 CPU profile (`node --cpu-prof`): the share of
 * busy samples spent in each package, Node subsystem or mock folder (self time, and inclusive:
 * counted once per sample when anywhere on the stack), and the functions with the most self time.
 * The profiled process should run unbundled, so that file paths name the packages.
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  /** Microseconds on the system's monotonic clock (process.hrtime's, in ns there). */
  startTime: number
  timeDeltas: number[]
}

/** One line of a summary: a name and its share of the busy samples. */
export interface Share {
  name: string
  self: number
  inclusive: number
}

/** What a profile says. */
export interface ProfileSummary {
  /** Samples that were not idle, and how many there were in all. */
  busy: number
  samples: number
  groups: Share[]
  functions: Share[]
}

/** The group a frame belongs to: a package, a Node subsystem, a folder of the mock, or V8. */
export function groupOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'V8: garbage collection'
  if (functionName === '(program)') return 'V8: (program), native code'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
  if (pkg) return pkg
  if (url.startsWith('node:')) {
    const mod = url.replace(/^node:(internal\/)?/, '')
    if (mod.startsWith('webstreams') || mod.includes('streams/adapters')) return 'node: web streams'
    if (mod.startsWith('streams') || mod === 'stream') return 'node: streams'
    if (/^(_?http|http_|_http)/.test(mod) || mod.startsWith('http')) return 'node: http'
    if (mod.startsWith('net') || mod.startsWith('stream_base')) return 'node: net'
    if (mod.startsWith('deps/undici')) return 'node: undici (Request, Headers)'
    return `node: ${mod.split('/')[0] ?? mod}`
  }
  const own = /\/dist\/(.+)\.js$/.exec(url)?.[1]
  if (own) return `mock: ${own}`
  if (url === '') return `native: ${functionName || '(anonymous)'}`
  return url.replace(/^.*\//, '')
}

/**
 * Summarises a .cpuprofile file; with a `window` (µs on the monotonic clock, as
 * `process.hrtime.bigint() / 1000n`), only the samples taken in it: the load, not the start.
 */
export function summarize(file: string, top = 25, window?: [number, number]): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  let at = profile.startTime
  const inWindow = profile.timeDeltas.map((d) => {
    at += d
    return !window || (at >= window[0] && at <= window[1])
  })
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = { groups: new Map<string, number>(), functions: new Map<string, number>() }
  const incl = { groups: new Map<string, number>(), functions: new Map<string, number>() }
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)
  let busy = 0
  for (const [i, id] of profile.samples.entries()) {
    if (!inWindow[i]) continue
    const node = byId.get(id)
    if (!node || node.callFrame.functionName === '(idle)') continue
    busy += 1
    const { url, functionName } = node.callFrame
    add(self.groups, groupOf(url, functionName))
    add(self.functions, label(node))
    const seenGroups = new Set<string>()
    const seenFunctions = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)
      if (!frame || frame.callFrame.functionName === '(root)') continue
      seenGroups.add(groupOf(frame.callFrame.url, frame.callFrame.functionName))
      seenFunctions.add(label(frame))
    }
    for (const g of seenGroups) add(incl.groups, g)
    for (const f of seenFunctions) add(incl.functions, f)
  }
  // every name on a stack, by self time, then inclusive (a caller may have no self time at all)
  const shares = (s: Map<string, number>, i: Map<string, number>) =>
    [...i.keys()]
      .map((name) => ({
        name,
        self: (s.get(name) ?? 0) / busy,
        inclusive: (i.get(name) ?? 0) / busy,
      }))
      .sort((a, b) => b.self - a.self || b.inclusive - a.inclusive)
      .slice(0, top)
  return {
    busy,
    samples: inWindow.filter(Boolean).length,
    groups: shares(self.groups, incl.groups),
    functions: shares(self.functions, incl.functions),
  }
}

/** A function as a profile row names it: name, file and line. */
function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, 'dist/')
  return url ? `${functionName || '(anonymous)'} (${file}:${String(lineNumber + 1)})` : functionName
}
