/**
 * @module Writes the two generated pages of docs/ from their sources of truth: docs/admin-api.md
 * from contracts/admin.openapi.yaml, docs/configuration.md from the OPTIONS table of
 * src/config.ts. The prose around the generated tables lives in the templates beside this file
 * (scripts/docs/*.template.md), where a `<!-- generated:NAME -->` line marks each table.
 * `npm run gen:docs` writes them; `npm run check:docs` fails when the committed pages are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { parse } from 'yaml'
import { AdminApiDoc } from './docs/admin-api.js'
import { commandsReference, optionsTable } from './docs/configuration.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8')

/** A generated page: where it goes, its template, and the tables it fills in. */
interface Page {
  path: string
  template: string
  sources: string
  tables: () => Record<string, string>
}

export const PAGES: readonly Page[] = [
  {
    path: 'docs/admin-api.md',
    template: 'scripts/docs/admin-api.template.md',
    sources: 'contracts/admin.openapi.yaml',
    tables: () => ({
      reference: new AdminApiDoc(
        parse(read('contracts/admin.openapi.yaml')) as Record<string, unknown>,
      ).render(),
    }),
  },
  {
    path: 'docs/configuration.md',
    template: 'scripts/docs/configuration.template.md',
    sources: 'the OPTIONS table of src/config.ts, the commands of src/cli/',
    tables: () => ({ options: optionsTable(), commands: commandsReference() }),
  },
]

/** A page as it must be committed: the template with its tables, formatted as prettier would. */
export async function renderPage(page: Page): Promise<string> {
  const tables = page.tables()
  const body = read(page.template).replace(
    /^<!-- generated:([a-z-]+) -->$/gm,
    (_line, name: string) => {
      const table = tables[name]
      if (table === undefined) throw new Error(`${page.template}: no table named "${name}"`)
      return table
    },
  )
  const notice = `<!-- Generated from ${page.sources} and ${page.template} by scripts/gen-docs.ts (npm run gen:docs): edit those, not this file. -->`
  const options = (await resolveConfig(`${ROOT}${page.path}`)) ?? {}
  return format(`${notice}\n\n${body}`, { ...options, parser: 'markdown' })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const page of PAGES) writeFileSync(`${ROOT}${page.path}`, await renderPage(page))
}
