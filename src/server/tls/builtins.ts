/**
 * @module Node's built-in modules for HTTPS, required on first use instead of imported. An ESM
 * import of a built-in copies all its exports, running their getters: `node:tls` builds
 * `rootCertificates` (about 150 PEM strings), `node:net` loads its BlockList and SocketAddress
 * modules, `node:https` and `node:os` load at all. Imported, they cost every start, HTTPS used
 * or not (measured: 0.5 MB more memory at the ready line); required, only the first HTTPS use.
 */
import type * as Https from 'node:https'
import { createRequire } from 'node:module'
import type * as Net from 'node:net'
import type * as Os from 'node:os'
import type * as Tls from 'node:tls'

const require = createRequire(import.meta.url)

export const nodeTls = (): typeof Tls => require('node:tls') as typeof Tls
export const nodeNet = (): typeof Net => require('node:net') as typeof Net
export const nodeHttps = (): typeof Https => require('node:https') as typeof Https
export const nodeOs = (): typeof Os => require('node:os') as typeof Os
