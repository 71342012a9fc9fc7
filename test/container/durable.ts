/**
 * Durable mode in the container image, in two halves around a SIGKILL that
 * scripts/container-test.sh sends: `write URL STATE` runs a whole journey (create, upload,
 * finalize) against the image started with its data directory on the declared volume and keeps
 * what was acknowledged in STATE; `check URL STATE`, against the image started again on the same
 * volume, finds the workflow execution there: status, details and every part, byte for byte.
 * Run with tsx; exits 1 with the reason on any difference.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { accessToken, flow, read, statusOf } from '../durable/client.js'
import type { Acked } from '../durable/client.js'

const [phase, url, state] = process.argv.slice(2)
if ((phase !== 'write' && phase !== 'check') || !url || !state) {
  throw new Error('usage: durable.ts write|check URL STATE_FILE')
}

interface Kept {
  token: string
  acked: (Omit<Acked, 'parts'> & {
    parts: { credentialId: string; classifier: string; bytes: string }[]
  })[]
}

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`durable flow: FAIL: ${what}`)
    process.exit(1)
  }
}

/** The image runs durable mode on its volume, and its disk takes writes. */
async function durableHealth(): Promise<void> {
  const res = await fetch(`${url}/__admin/health`)
  const body = (await res.json()) as { durable?: { status: string; dataDir: string } }
  check(res.status === 200, `health answered ${String(res.status)}`)
  check(body.durable?.status === 'UP', `not in durable mode: ${JSON.stringify(body.durable)}`)
  console.error(`durable flow: data directory ${String(body.durable?.dataDir)}, UP`)
}

async function write(): Promise<void> {
  await durableHealth()
  const token = await accessToken(url as string, 'container-durable')
  const acked: Acked[] = []
  // nothing listens on port 9: the callback fails, which the flow does not wait for
  await flow(url as string, token, 'http://127.0.0.1:9/', 0, acked)
  const [a] = acked
  check(a?.finalized === true, 'the journey was not finalized')
  check((await statusOf(url as string, token, a as Acked)) === 'PROCESSED', 'not PROCESSED')
  const kept: Kept = {
    token,
    acked: acked.map((x) => ({
      ...x,
      parts: x.parts.map((p) => ({ ...p, bytes: p.bytes.toString('base64') })),
    })),
  }
  writeFileSync(state as string, JSON.stringify(kept))
  console.error(`durable flow: workflow execution ${String(a?.wfeId)} PROCESSED, acknowledged`)
}

async function checkAfterRestart(): Promise<void> {
  await durableHealth()
  const kept = JSON.parse(readFileSync(state as string, 'utf8')) as Kept
  for (const k of kept.acked) {
    const a: Acked = {
      ...k,
      parts: k.parts.map((p) => ({ ...p, bytes: Buffer.from(p.bytes, 'base64') })),
    }
    // the access token from before the restart still works: the token secret is on the volume
    check(
      (await statusOf(url as string, kept.token, a)) === 'PROCESSED',
      `${a.wfeId} not PROCESSED`,
    )
    const details = await read(
      url as string,
      kept.token,
      `/api/v1/accounts/${a.accountId}/workflow-executions/${a.wfeId}`,
    )
    check(details.status === 200, `details of ${a.wfeId}: ${String(details.status)}`)
    for (const p of a.parts) {
      const path = `/api/v1/accounts/${a.accountId}/credentials/${p.credentialId}/parts/${p.classifier}`
      const got = Buffer.from(await (await read(url as string, kept.token, path)).arrayBuffer())
      check(got.equals(p.bytes), `part ${p.classifier} of ${a.wfeId} differs after the restart`)
    }
    console.error(
      `durable flow: ${a.wfeId} still there after SIGKILL and restart (${String(a.parts.length)} parts)`,
    )
  }
}

await (phase === 'write' ? write() : checkAfterRestart())
