// Writes dist/contracts/<name>.openapi.json from contracts/<name>.openapi.yaml, and
// dist/scenarios.json from the shipped scenarios.yaml (its text beside what it parses to), so the
// built server reads JSON at start-up instead of parsing YAML (readContract in validators.ts,
// parseScenarios in src/scenarios/load.ts).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

mkdirSync('dist/contracts', { recursive: true })
for (const file of readdirSync('contracts').filter((f) => f.endsWith('.openapi.yaml'))) {
  const json = JSON.stringify(parse(readFileSync(`contracts/${file}`, 'utf8')))
  writeFileSync(`dist/contracts/${file.replace(/\.yaml$/, '.json')}`, json)
}
const source = readFileSync('scenarios.yaml', 'utf8')
writeFileSync('dist/scenarios.json', JSON.stringify({ source, data: parse(source) }))
