import { describe, expect, it } from 'vitest'
import { Journal } from '../../src/server/journal/journal.js'
import type { JournalCounts } from '../../src/server/journal/journal.js'
import { adminMemory } from '../../src/server/render/admin.js'

describe('adminMemory', () => {
  it('leaves the resident set out where /proc cannot be read, instead of failing health', () => {
    // regression: in the container test's chroot, process.memoryUsage.rss() threw ENOENT
    const memory = adminMemory(new Journal(10).counts() as JournalCounts, () => {
      throw new Error('ENOENT: no such file or directory, uv_resident_set_memory')
    })
    expect(memory).not.toHaveProperty('rssBytes')
    expect(memory).toMatchObject({ journalEntries: 0, journalDropped: 0 })
    expect(memory.heapUsedBytes).toBeGreaterThan(0)
  })
})
