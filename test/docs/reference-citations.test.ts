/**
 * Every Jumio fact the code relies on is cited as "jumio-reference §x.y",
 * and docs/jumio-reference.md keeps the section numbers those citations use. This fails when a
 * comment in src/, test/, bench/, examples/ or scripts/, a contract's description, or a
 * violation's section (shown to users in X-Mock-Violations summaries) cites a section the page
 * does not have.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { VIOLATIONS } from '../../src/server/journal/violations.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCANNED = ['src', 'test', 'bench', 'examples', 'scripts', 'contracts']
const SOURCE = /\.(ts|mjs|js|sh|yaml|json)$/
const NUMBER = String.raw`\d+(?:\.\d+)*`
/** "jumio-reference §4.4", "jumio-reference §10.1, §12.1 and §19.8", "jumio-reference §3.2" */
const CITATION = new RegExp(
  String.raw`jumio-reference(?:\.md)?\s*§\s*(${NUMBER})((?:\s*(?:,|and|or|/)\s*§\s*${NUMBER})*)`,
  'g',
)

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return files(path)
    return SOURCE.test(name) ? [path] : []
  })
}

/** Each cited section number, with where it is cited. */
function citations(): { section: string; where: string }[] {
  const found: { section: string; where: string }[] = []
  for (const file of SCANNED.flatMap(files)) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n')
    for (const [i, line] of lines.entries()) {
      for (const m of line.matchAll(CITATION)) {
        const more = [...(m[2] ?? '').matchAll(new RegExp(`§\\s*(${NUMBER})`, 'g'))]
        for (const section of [m[1] ?? '', ...more.map((n) => n[1] ?? '')]) {
          found.push({ section, where: `${relative(ROOT, join(ROOT, file))}:${String(i + 1)}` })
        }
      }
    }
  }
  return found
}

/** The section numbers of docs/jumio-reference.md: "## 4. Title" is 4, "### 4.1 Title" is 4.1. */
function sections(): Set<string> {
  const page = readFileSync(join(ROOT, 'docs/jumio-reference.md'), 'utf8')
  const numbers = [...page.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1] ?? '')
  return new Set(numbers)
}

describe('citations of the Jumio reference', () => {
  it('are found: the code cites the reference hundreds of times', () => {
    expect(citations().length).toBeGreaterThan(300)
    expect(sections()).toContain('4.1')
  })

  it('name only sections docs/jumio-reference.md has', () => {
    const have = sections()
    const missing = citations().filter((c) => !have.has(c.section))
    expect(missing.map((c) => `§${c.section} at ${c.where}`)).toEqual([])
  })

  it("name only sections it has in the violations' sections", () => {
    const have = sections()
    const cited = Object.values(VIOLATIONS).flatMap(({ section, evidence }) =>
      [...`${section} ${evidence}`.matchAll(new RegExp(`§(${NUMBER})`, 'g'))].map(
        (m) => m[1] ?? '',
      ),
    )
    expect(cited.length).toBeGreaterThan(10)
    expect(cited.filter((section) => !have.has(section))).toEqual([])
  })

  it('keep every section number, none twice', () => {
    const page = readFileSync(join(ROOT, 'docs/jumio-reference.md'), 'utf8')
    const numbers = [...page.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1] ?? '')
    expect(numbers.length).toBe(new Set(numbers).size)
  })
})
