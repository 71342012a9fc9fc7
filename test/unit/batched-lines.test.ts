import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { batchedLines } from '../../src/cli/logger.js'

describe('batchedLines', () => {
  it('writes the lines of one event-loop turn in one write, in order, after the turn', async () => {
    const writes: string[] = []
    const lines = batchedLines({ write: (text) => writes.push(text) })
    lines.write('one')
    lines.write('two')
    expect(writes).toEqual([])
    await nextTurn()
    expect(writes).toEqual(['one\ntwo\n'])
    lines.write('three')
    await nextTurn()
    expect(writes).toEqual(['one\ntwo\n', 'three\n'])
  })

  it('writes at once past 64 kB pending, and on flush()', () => {
    const writes: string[] = []
    const lines = batchedLines({ write: (text) => writes.push(text) })
    const long = 'x'.repeat(40_000)
    lines.write(long)
    expect(writes).toHaveLength(0)
    lines.write(long)
    expect(writes).toEqual([`${long}\n${long}\n`])
    lines.write('last')
    lines.flush()
    expect(writes[1]).toBe('last\n')
    lines.flush() // nothing pending: no empty write
    expect(writes).toHaveLength(2)
  })
})
