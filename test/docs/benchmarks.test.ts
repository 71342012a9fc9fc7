/**
 * docs/benchmarks.md keeps the markers `npm run bench` writes between (a hand edit once removed the
 * end marker with the tables before it, and the next bench run failed).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const doc = readFileSync(new URL('../../docs/benchmarks.md', import.meta.url), 'utf8')

describe('docs/benchmarks.md', () => {
  it('has one generated section, with its goals, flows, floor ladder, operations, start-up, memory, abuse, replicas and profile', () => {
    const parts = doc.split('<!-- bench:start -->')
    expect(parts).toHaveLength(2)
    const generated = parts[1]?.split('<!-- bench:end -->') ?? []
    expect(generated).toHaveLength(2)
    const headings = [...(generated[0] ?? '').matchAll(/^### (.+)$/gm)].map((m) => m[1])
    expect(headings).toEqual([
      'Goals',
      'Full flows',
      'Floor ladder',
      'Single operations',
      'Start-up',
      'Memory',
      'Abuse',
      'Replicas',
      'Profile',
    ])
  })
})
