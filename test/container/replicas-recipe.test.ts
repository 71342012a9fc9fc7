/**
 * The replicas recipes: docker-compose.replicas.yml, its nginx configuration and the
 * Kubernetes YAML of docs/deployment.md parse, name only real options, and wire three replicas
 * to one Redis behind a round-robin balancer.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { OPTIONS } from '../../src/config.js'

const ROOT = new URL('../../', import.meta.url)
const read = (file: string) => readFileSync(new URL(file, ROOT), 'utf8')
const ENV_NAMES = new Set(OPTIONS.map((o) => o.env))

interface Service {
  image?: string
  command?: string[]
  deploy?: { replicas?: number }
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
  depends_on?: Record<string, { condition: string }>
}

describe('docker-compose.replicas.yml', () => {
  const { services } = parse(read('docker-compose.replicas.yml')) as {
    services: Record<string, Service>
  }

  it('runs three replicas on one Redis without persistence, with only real options', () => {
    const mock = services['jumio-mock']
    expect(mock?.deploy?.replicas).toBe(3)
    const env = mock?.environment ?? {}
    for (const name of Object.keys(env)) expect(ENV_NAMES).toContain(name)
    expect(env['JUMIO_MOCK_REDIS_URL']).toBe('redis://redis:6379/0')
    expect(services['redis']?.command).toEqual(['redis-server', '--save', '', '--appendonly', 'no'])
    expect(mock?.depends_on).toEqual({ redis: { condition: 'service_healthy' } })
  })

  it('publishes only the balancer, whose nginx configuration spreads over the replicas', () => {
    const balancer = services['balancer']
    expect(balancer?.ports).toEqual(['3000:3000'])
    expect(services['jumio-mock']?.ports).toBeUndefined()
    const mounted = balancer?.volumes?.[0]?.split(':')[0] ?? ''
    const conf = read(mounted.replace(/^\.\//, ''))
    expect(conf).toMatch(/upstream jumio_mock \{\s*server jumio-mock:3000;\s*\}/)
    expect(conf).toContain('proxy_pass http://jumio_mock;')
    expect(conf).toContain('proxy_set_header Host $http_host;')
  })
})

describe('the Kubernetes example of docs/deployment.md', () => {
  const section =
    read('docs/deployment.md')
      .split(/^## /m)
      .find((s) => s.startsWith('Replicas sharing one Redis')) ?? ''
  const docs = [...section.matchAll(/```yaml\n([\s\S]*?)\n```/g)].flatMap((m) =>
    parseAllDocuments(m[1] ?? '').map((d) => d.toJS() as Record<string, unknown>),
  )

  it('is a Deployment of three replicas on Redis, its Service, and Redis', () => {
    expect(docs.map((d) => d['kind'])).toEqual(['Deployment', 'Service', 'Deployment', 'Service'])
    const mock = docs[0] as {
      spec: { replicas: number; template: { spec: { containers: { env: { name: string }[] }[] } } }
    }
    expect(mock.spec.replicas).toBe(3)
    const env = mock.spec.template.spec.containers[0]?.env ?? []
    for (const { name } of env) expect(ENV_NAMES).toContain(name)
    expect(env.map((e) => e.name)).toContain('JUMIO_MOCK_REDIS_URL')
  })
})
