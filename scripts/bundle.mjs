// Bundles the CLI into one file, dist/main.js (over tsc's output), so that start-up loads one
// module instead of about 150 (570 → 310 ms median on the CI machine). The library entry,
// dist/index.js, stays unbundled. The bundle sits where tsc's main.js was, one level below the
// package root, so src/package-files.ts finds contracts/, scenarios.yaml and package.json as before.
import { build } from 'esbuild'

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // the native binding is loaded from node_modules, and only in durable mode
  external: ['better-sqlite3'],
  // bundled CommonJS dependencies call require() for Node's built-in modules
  banner: {
    js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
