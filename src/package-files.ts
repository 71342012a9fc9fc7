/**
 * @module Files shipped with the package (contracts, the default scenarios, package.json), found
 * from wherever the code runs: this module sits one level below the package root in `src/`, in
 * `dist/` and inside the bundled `dist/main.js` alike.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = new URL('../', import.meta.url)

/** The absolute path of a file of the package, from its path relative to the package root. */
export function packageFile(path: string): string {
  return fileURLToPath(new URL(path, ROOT))
}

/** Where the shipped contracts live. */
export const CONTRACTS_DIR = packageFile('contracts/')

let version: string | undefined

/** The `version` field of the package's package.json, read once. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string })
    .version
  return version
}
