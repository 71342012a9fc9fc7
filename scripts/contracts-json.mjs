// Writes dist/contracts/<name>.openapi.json from contracts/<name>.openapi.yaml, so the built
// server reads JSON at start-up instead of parsing YAML (see readContract in validators.ts).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

mkdirSync('dist/contracts', { recursive: true })
for (const file of readdirSync('contracts').filter((f) => f.endsWith('.openapi.yaml'))) {
  const json = JSON.stringify(parse(readFileSync(`contracts/${file}`, 'utf8')))
  writeFileSync(`dist/contracts/${file.replace(/\.yaml$/, '.json')}`, json)
}
