// 1. Bundles the CLI into one file, dist/main.js (over tsc's output), so that start-up loads one
// module instead of about 150 (570 → 310 ms median on the CI machine). The library entry,
// dist/index.js, stays unbundled. The bundle sits where tsc's main.js was, one level below the
// package root, so src/package-files.ts finds contracts/, scenarios.yaml and package.json as before.
// 2. Compiles the page scripts of the web journey and the QA console (src/web/client/), each entry
// point into one browser module under dist/assets/, with the options src/web/page-scripts.ts
// declares: every shipped form (the CLI, the library, the container) serves these files.
import { readFileSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { PAGE_SCRIPT_BUILD, PAGE_SCRIPT_DIR } from '../dist/web/page-scripts.js'

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // the licences of bundled packages go to dist/main.js.LEGAL.txt: some name their authors in
  // letters outside ASCII, which the next step would otherwise have to rewrite inside them
  legalComments: 'linked',
  // the native binding is loaded from node_modules, and only in durable mode; esbuild compiles
  // the page scripts on demand only when the mock runs from its TypeScript sources; the Redis
  // client and BullMQ are loaded from node_modules, and only with --redis-url. YAML, Ajv and
  // faker are required from node_modules on first use (src/lazy-packages.ts,
  // src/scenarios/faker.ts), so esbuild never sees them
  external: ['better-sqlite3', 'esbuild', 'ioredis', 'bullmq'],
  // bundled CommonJS dependencies call require() for Node's built-in modules
  banner: {
    js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
})

// esbuild writes strings ASCII-only but keeps comments as they are, and one "§" in a comment made
// V8 hold the whole bundle as two-byte text: 1.7 MB of heap instead of 0.86 (idle RSS 64 → 63 MB).
// Comments are the only place such characters are left, so they are escaped there too.
const bundled = readFileSync('dist/main.js', 'utf8')
writeFileSync(
  'dist/main.js',
  bundled.replace(/[^\t\n\r -~]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`),
)

await build({ ...PAGE_SCRIPT_BUILD, outdir: PAGE_SCRIPT_DIR, logLevel: 'warning' })
