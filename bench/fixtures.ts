/**
 * The mock's own answers to one flow (captured by bench/capture.ts at the start of a run), so that
 * WireMock's static stubs and the floor's fixed answers send the same bytes the mock sends (the
 * same sizes, the same hrefs, rebased onto their own origin). Types only and `rebase`: the floor
 * imports this file, and must not build the benchmark's photos at its start.
 */
import type { Classifier, FlowPlan } from './flow.js'

/** Each answer of a flow, as the mock gave it. */
export interface Fixtures {
  /** The origin the hrefs in the answers point at. */
  origin: string
  token: string
  create: string
  upload: Record<Classifier, string>
  finalize: string
  status: string
  details: string
  /** The FRONT image (the mock answers the uploaded bytes, checked), base64. */
  image: string
  plan: FlowPlan
}

/** The fixtures with every href moved from the mock's origin to `origin`. */
export function rebase(f: Fixtures, origin: string): Fixtures {
  const r = (s: string) => s.replaceAll(f.origin, origin)
  const upload = Object.fromEntries(Object.entries(f.upload).map(([k, v]) => [k, r(v)]))
  return {
    ...f,
    origin,
    token: r(f.token),
    create: r(f.create),
    upload: upload as Record<Classifier, string>,
    finalize: r(f.finalize),
    status: r(f.status),
    details: r(f.details),
  }
}
