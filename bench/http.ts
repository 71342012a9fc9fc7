/**
 * The benchmarks' HTTP client: keep-alive `node:http`, one agent per target, bodies prebuilt as
 * Buffers, answers read to their end. The same driver for the mock, its peers and the floors, so
 * that the client's own cost (it shares the machine) is the same for each. An `https:` base goes
 * through `node:https`, trusting the CA given (the mock's with `--tls`).
 */
import { Agent, request } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/** An HTTP answer; `body` is empty when the caller asked only for its length. */
export interface Answer {
  status: number
  body: string
  bytes: number
}

const UA = 'AcmeBank KYC/1.0'

/** A keep-alive client for one server. */
export class HttpClient {
  private readonly agent: Agent
  private readonly host: string
  private readonly port: number
  private readonly request: typeof request

  constructor(
    readonly base: string,
    sockets = 64,
    ca?: string,
  ) {
    const url = new URL(base)
    const tls = url.protocol === 'https:'
    this.host = url.hostname
    this.port = Number(url.port || (tls ? 443 : 80))
    this.agent = tls
      ? new HttpsAgent({ keepAlive: true, maxSockets: sockets, ...(ca !== undefined && { ca }) })
      : new Agent({ keepAlive: true, maxSockets: sockets })
    this.request = tls ? httpsRequest : request
  }

  /** One request to `path` (absolute on this server); `keep` false reads the answer's length only. */
  send(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: Buffer | string,
    keep = true,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const all: Record<string, string> = { 'User-Agent': UA, ...headers }
      if (body !== undefined) all['Content-Length'] = String(Buffer.byteLength(body))
      const options = { host: this.host, port: this.port, path, method, headers: all }
      const req = this.request({ ...options, agent: this.agent }, (res) => {
        const chunks: Buffer[] = []
        let bytes = 0
        res.on('data', (d: Buffer) => {
          bytes += d.length
          if (keep) chunks.push(d)
        })
        res.on('end', () => {
          const text = keep ? Buffer.concat(chunks).toString() : ''
          resolve({ status: res.statusCode ?? 0, body: text, bytes })
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy()
  }
}

/** Basic authorization for a client id and secret. */
export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

/** The path (and query) of an href, or undefined when it is not an absolute http(s) URL. */
export function pathOf(href: unknown): string | undefined {
  if (typeof href !== 'string' || !/^https?:\/\//.test(href)) return undefined
  const url = new URL(href)
  return url.pathname + url.search
}
