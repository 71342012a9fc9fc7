/**
 * The generated pages of docs/ (admin API, configuration) are what their sources say: rendered
 * again, they equal the committed files (`npm run check:docs` checks the same with git), and they
 * hold every option and every admin operation.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { PAGES, renderPage } from '../../scripts/gen-docs.js'
import { OPTIONS } from '../../src/config.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe('the generated pages', () => {
  it.each(PAGES.map((p) => [p.path, p] as const))(
    '%s is fresh (npm run gen:docs)',
    async (_, page) => {
      expect(read(page.path)).toBe(await renderPage(page))
    },
  )

  it('docs/configuration.md has a row per option, in --help order, with its env var and default', () => {
    const section = read('docs/configuration.md')
      .split(/^## /m)
      .find((s) => s.startsWith('Options'))
    const rows = (section ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| `--'))
      .map((line) => line.split('|').map((c) => c.trim()))
    expect(rows.map((r) => [r[1], r[2]])).toEqual(
      OPTIONS.map((o) => [`\`--${o.flag}\``, `\`${o.env}\``]),
    )
    for (const [i, o] of OPTIONS.entries()) {
      const cell = rows[i]?.[3] ?? ''
      if (o.default === '') expect(cell, o.flag).toBe('empty')
      else expect(cell, o.flag).toContain(`\`${o.default}\``)
    }
  })

  it('docs/admin-api.md has a section per operation and per schema of the admin contract', () => {
    const contract = parse(read('contracts/admin.openapi.yaml')) as {
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, unknown> }
    }
    const page = read('docs/admin-api.md')
    const headings = new Set([...page.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]))
    for (const [path, item] of Object.entries(contract.paths)) {
      for (const method of Object.keys(item))
        expect(headings).toContain(`${method.toUpperCase()} ${path}`)
    }
    for (const name of Object.keys(contract.components.schemas)) expect(headings).toContain(name)
  })
})
