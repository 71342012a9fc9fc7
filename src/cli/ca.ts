/**
 * @module `jumio-mock ca`: the CA that HTTPS interception and `--tls` sign with,
 * generated now if it does not exist yet. The PEM path alone goes to stdout, for scripts
 * (`export NODE_EXTRA_CA_CERTS="$(jumio-mock ca)"`); how to trust it goes to stderr.
 */
import { X509Certificate } from 'node:crypto'
import { caFiles, OPTIONS, parseFlagsWith } from '../config.js'
import { loadAuthority } from '../server/tls/authority.js'
import type { CliContext, Command } from './command.js'

/** The serve options that say where the CA is. */
const CA_OPTIONS = OPTIONS.filter((o) =>
  ['data-dir', 'ca-dir', 'ca-cert', 'ca-key'].includes(o.flag),
)

/** The `ca` command. */
export const caCommand: Command = {
  summary: 'Print the path of the CA that HTTPS interception signs with (create it if needed)',
  usage: '[options]',
  options: CA_OPTIONS,
  notes: `Give it the same --data-dir / --ca-dir / --ca-cert as serve. stdout has the PEM path only;
stderr says how each kind of client trusts it (more in docs/https.md).`,
  run: runCa,
}

async function runCa(argv: string[], ctx: CliContext): Promise<number> {
  const values = parseFlagsWith(CA_OPTIONS, argv, ctx.env)
  const authority = await loadAuthority(caFiles((flag) => values.get(flag) ?? '', ctx.env))
  const path = authority.files.cert
  ctx.stdout.write(`${path}\n`)
  ctx.stderr.write(howToTrust(path, new X509Certificate(authority.certPem), authority.created))
  return 0
}

/** What to tell each kind of client, with this CA's path. */
export function howToTrust(path: string, cert: X509Certificate, created: boolean): string {
  const proxy = 'http://127.0.0.1:3000'
  return `
${created ? 'Created' : 'Using'} the CA ${cert.subject.replaceAll('\n', ', ')}
  SHA-256 ${cert.fingerprint256}, valid until ${new Date(cert.validTo).toISOString().slice(0, 10)}

Point HTTPS_PROXY at the mock (e.g. ${proxy}) and trust this file; then clients call
https://auth.amer-1.jumio.ai and the other Jumio hosts unchanged:
  curl     curl --proxy ${proxy} --cacert ${path} https://status.amer-1.jumio.ai/
  Node     NODE_EXTRA_CA_CERTS=${path}, with a proxy agent (undici ProxyAgent, https-proxy-agent)
  Python   REQUESTS_CA_BUNDLE=${path} (requests); SSL_CERT_FILE=${path} (httpx, urllib)
  Go       SSL_CERT_FILE=${path}
  Java     keytool -importcert -noprompt -alias jumio-mock -file ${path} \\
             -keystore jumio-mock.p12 -storetype PKCS12 -storepass changeit
           java -Djavax.net.ssl.trustStore=jumio-mock.p12 -Djavax.net.ssl.trustStorePassword=changeit \\
             -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=3000 ...
  .NET     SSL_CERT_FILE=${path} (Linux), or the certificate store
SSL_CERT_FILE and REQUESTS_CA_BUNDLE replace the system's CAs: to reach other hosts through
--proxy-allow too, point them at a bundle of both. Keep the key beside it private.
`
}
