/**
 * README.md stays a five-minute read: at most 200 lines, "Point your app at it" within the first
 * 100, and its table of the shipped scenarios equal to scenarios.yaml (names, order, the default,
 * descriptions), so the one place that lists them cannot drift from the file. And the violation
 * codes' table of docs/contract-testing.md holds every code the mock reports, with its section.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { VIOLATIONS } from '../../src/server/journal/violations.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const readme = read('README.md')

describe('README.md', () => {
  it('has at most 200 lines, and says how to point an app at the mock within the first 100', () => {
    const lines = readme.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(200)
    const at = lines.findIndex((line) => line === '## Point your app at it')
    expect(at).toBeGreaterThan(0)
    expect(at).toBeLessThan(100)
  })

  it('lists the shipped scenarios as scenarios.yaml has them', () => {
    const file = parse(read('scenarios.yaml')) as {
      default: string
      scenarios: Record<string, { description: string }>
    }
    const rows = readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter((cells) => cells.length === 4)
      .map(([, name = '', description = '']) => [name, description])
    expect(rows).toEqual(
      Object.entries(file.scenarios).map(([name, s]) => [
        name === file.default ? `\`${name}\` (the default)` : `\`${name}\``,
        s.description,
      ]),
    )
  })
})

describe('docs/contract-testing.md', () => {
  const page = read('docs/contract-testing.md')
  const strictTable =
    page.indexOf('| Code ') === page.lastIndexOf('| Code ') ? -1 : page.lastIndexOf('| Code ')
  /** The rows of a table whose first cell is a violation code, by code. */
  const rows = (text: string) =>
    new Map(
      text
        .split('\n')
        .filter((line) => /^\| `[A-Z_]+` /.test(line))
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .map(([, code = '', ...cells]) => [code.replaceAll('`', ''), cells]),
    )

  it('lists every violation code with the section it cites', () => {
    const found = rows(page.slice(0, strictTable))
    for (const [code, { section }] of Object.entries(VIOLATIONS)) {
      expect(found.get(code)?.[0], code).toBe(section)
    }
  })

  it("says what strict mode does with every code, and the catalog's evidence", () => {
    expect(strictTable).toBeGreaterThan(0)
    const found = rows(page.slice(strictTable))
    const what = { recorded: 'Recorded', strict: 'Refused with', refused: 'Refused in both modes' }
    for (const [code, entry] of Object.entries(VIOLATIONS)) {
      const [strict = '', evidence = ''] = found.get(code) ?? []
      expect(strict, code).toContain(what[entry.refusal])
      if ('status' in entry) expect(strict, code).toContain(String(entry.status))
      expect(evidence.replaceAll('\\|', '|'), code).toBe(entry.evidence)
    }
  })
})
