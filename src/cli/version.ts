/**
 * @module The package version, from the package.json beside `src/` (or `dist/`).
 */
import { readFileSync } from 'node:fs'

/** The `version` field of the package's package.json. */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url)
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version: string }
  return pkg.version
}
