/**
 * @module The page scripts of the web journey and the QA console. They are browser modules
 * under src/web/client/, and each entry point is compiled by esbuild into one file of its own:
 * never assembled from the server's code, so no bundler of the server can break them (a
 * bundled server once renamed the functions a `toString`-built console script called).
 *
 * `npm run build` writes them to dist/assets/ (scripts/bundle.mjs), and every shipped form
 * serves those files: the bundled CLI, the library entry (dist/index.js) and the container.
 * Run from the TypeScript sources (vitest, `npm run dev`), there is no such build: the script is
 * compiled from source on each request instead, with esbuild (a dev dependency), so an edit shows
 * on the next reload.
 */
import { readFile } from 'node:fs/promises'
import { packageFile } from '../package-files.js'

/** The page scripts, by name: `<name>.js`. */
export type PageScriptName = 'journey' | 'console'

/** How esbuild compiles the page scripts, here and in the build (scripts/bundle.mjs). */
export const PAGE_SCRIPT_BUILD = {
  entryPoints: { journey: 'src/web/client/journey.ts', console: 'src/web/client/console.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  charset: 'utf8',
  legalComments: 'none',
} as const

/** Where the build writes them, from the package root. */
export const PAGE_SCRIPT_DIR = 'dist/assets'

/** True when this module runs as TypeScript source (vitest, tsx), not as compiled JavaScript. */
const FROM_SOURCE = import.meta.url.endsWith('.ts')
const built = new Map<PageScriptName, Promise<string>>()

/** The text of a page script. */
export function pageScript(name: PageScriptName): Promise<string> {
  if (FROM_SOURCE) return compileFromSource(name)
  let text = built.get(name)
  if (!text) {
    const path = packageFile(`${PAGE_SCRIPT_DIR}/${name}.js`)
    text = readFile(path, 'utf8').catch((err: unknown) => {
      built.delete(name)
      throw new Error(`The page script ${path} is missing: build the package (npm run build)`, {
        cause: err,
      })
    })
    built.set(name, text)
  }
  return text
}

async function compileFromSource(name: PageScriptName): Promise<string> {
  const { build } = await import('esbuild')
  const result = await build({
    ...PAGE_SCRIPT_BUILD,
    entryPoints: [PAGE_SCRIPT_BUILD.entryPoints[name]],
    absWorkingDir: packageFile('.'),
    write: false,
    logLevel: 'silent',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error(`esbuild wrote nothing for ${name}.js`)
  return file.text
}
