/**
 * The container recipes: docker-compose.yml and the CI snippets of docs/deployment.md are valid
 * YAML, name only real settings, and their commands work against a real mock: the health check
 * (the same in the Dockerfile and compose) and the example client that switches scenarios.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { OPTIONS } from '../../src/config.js'
import { startTestServer } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'

const run = promisify(execFile)
const ROOT = new URL('../../', import.meta.url)
const read = (file: string) => readFileSync(new URL(file, ROOT), 'utf8')
const ENV_NAMES = new Set(OPTIONS.map((o) => o.env))

interface ComposeService {
  build?: string
  image?: string
  ports?: string[]
  environment?: Record<string, string>
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
  command?: string[]
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> }
const mock = compose.services['jumio-mock']
const client = compose.services['example-client']

/** The yaml blocks of one section of docs/deployment.md. */
function deploymentYaml(section: string): unknown[] {
  const text =
    read('docs/deployment.md')
      .split(/^## /m)
      .find((s) => s.startsWith(section)) ?? ''
  return [...text.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => parse(m[1] ?? '') as unknown)
}

let s: TestServer
beforeAll(async () => {
  // the shipped scenarios, as in the image
  s = await startTestServer(['--scenarios', fileURLToPath(new URL('scenarios.yaml', ROOT))])
})
afterAll(async () => {
  await s.close()
})

describe('docker-compose.yml', () => {
  it('builds the Dockerfile, publishes 3000 and sets only real options', () => {
    expect(mock).toMatchObject({ build: '.', ports: ['3000:3000'] })
    for (const name of Object.keys(mock?.environment ?? {})) expect(ENV_NAMES).toContain(name)
    expect(client?.depends_on).toEqual({ 'jumio-mock': { condition: 'service_healthy' } })
  })

  it('has the Dockerfile’s health check, which passes against a live mock and fails without one', async () => {
    const test = mock?.healthcheck?.test ?? []
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e'])
    const script = test[3] ?? ''
    expect(read('Dockerfile')).toContain(JSON.stringify(script))
    const port = new URL(s.url).port
    await expect(
      run('node', ['-e', script], { env: { ...process.env, PORT: port } }),
    ).resolves.toBeDefined()
    await expect(
      run('node', ['-e', script], { env: { ...process.env, PORT: '1' } }),
    ).rejects.toThrow()
  })

  it('has an example client that switches the scenario and sees it answer', async () => {
    const [cmd = '', ...args] = client?.command ?? []
    const { stdout } = await run(cmd, args, { env: { ...process.env, JUMIO_BASE_URL: s.url } })
    expect(stdout.trim()).toBe('200 scenario rejected-fake-document')
    expect(s.deps.tenants.global.activeScenario).toBeNull()
  })
})

describe('docs/deployment.md "CI recipes"', () => {
  const blocks = deploymentYaml('CI recipes')

  it('has a GitHub Actions job with the mock as a health-checked service', () => {
    const gha = blocks.find((b) => typeof b === 'object' && b !== null && 'jobs' in b) as {
      jobs: Record<
        string,
        {
          services: Record<
            string,
            { options: string; env: Record<string, string>; ports: string[] }
          >
        }
      >
    }
    const service = Object.values(Object.values(gha.jobs)[0]?.services ?? {})[0]
    expect(service?.options).toMatch(/--health-interval/)
    expect(service?.ports).toEqual(['3000:3000'])
    for (const name of Object.keys(service?.env ?? {})) expect(ENV_NAMES).toContain(name)
  })

  it('has a GitLab CI job with the mock as a service under an alias', () => {
    const gitlab = blocks.find(
      (b) => typeof b === 'object' && b !== null && JSON.stringify(b).includes('"alias"'),
    ) as Record<string, { services: { alias: string; variables: Record<string, string> }[] }>
    const job = Object.values(gitlab).find((j) => typeof j === 'object' && 'services' in j)
    const service = job?.services[0]
    expect(service?.alias).toBe('jumio')
    for (const name of Object.keys(service?.variables ?? {})) expect(ENV_NAMES).toContain(name)
  })
})
