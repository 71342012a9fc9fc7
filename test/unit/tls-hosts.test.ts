/**
 * Which hosts HTTPS interception answers for, which it tunnels, where the CA lives by default,
 * and the options that configure it.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { defaultCaDir } from '../../src/server/tls/ca-paths.js'
import { allowedHost, directTlsNames, isJumioHost } from '../../src/server/tls/jumio-hosts.js'

describe("Jumio's hosts", () => {
  it.each([
    'auth.amer-1.jumio.ai',
    'account.emea-1.jumio.ai',
    'api.apac-1.jumio.ai',
    'retrieval.amer-1.jumio.ai',
    'status.emea-1.jumio.ai',
    'callback.apac-1.jumio.ai',
    'acme-bank.web.amer-1.jumio.ai',
    'API.AMER-1.JUMIO.AI',
    'account.amer-1.jumiopp.link',
    'x.web.emea-1.jumiopp.link',
  ])('%s is one', (host) => {
    expect(isJumioHost(host)).toBe(true)
  })

  it.each([
    'jumio.ai',
    'api.jumio.ai',
    'api.amer-2.jumio.ai',
    'api.amer-1.jumio.ai.evil.com',
    'evil-api.amer-1.jumio.ai',
    'web.amer-1.jumio.ai',
    '-bad.web.amer-1.jumio.ai',
    'a.b.web.amer-1.jumio.ai',
    'api.amer-1.jumio.link',
    'example.com',
  ])('%s is not', (host) => {
    expect(isJumioHost(host)).toBe(false)
  })

  it('--tls covers each fixed host by name, web hosts by wildcard, and loopback', () => {
    const names = directTlsNames()
    expect(names).toContain('api.emea-1.jumiopp.link')
    expect(names).toContain('*.web.apac-1.jumio.ai')
    expect(names.slice(-3)).toEqual(['localhost', '127.0.0.1', '::1'])
    expect(
      names
        .filter((n) => !n.startsWith('*.'))
        .slice(0, -3)
        .every(isJumioHost),
    ).toBe(true)
  })
})

describe('--proxy-allow', () => {
  it('matches names exactly, and *.suffix only below the suffix', () => {
    const list = ['127.0.0.1', '*.internal.example']
    expect(allowedHost('127.0.0.1', list)).toBe(true)
    expect(allowedHost('svc.internal.example', list)).toBe(true)
    expect(allowedHost('A.B.INTERNAL.example', list)).toBe(true)
    expect(allowedHost('internal.example', list)).toBe(false)
    expect(allowedHost('badinternal.example', list)).toBe(false)
    expect(allowedHost('127.0.0.2', list)).toBe(false)
  })

  it('is read from the flag or env, and refuses a URL or a port', () => {
    expect(loadConfig([], { JUMIO_MOCK_PROXY_ALLOW: 'a.test, *.b.test,[::1]' }).proxyAllow).toEqual(
      ['a.test', '*.b.test', '::1'],
    )
    expect(loadConfig([], {}).proxyAllow).toEqual([])
    expect(() => loadConfig(['--proxy-allow', 'https://a.test'], {})).toThrow(ConfigError)
    expect(() => loadConfig(['--proxy-allow', 'a.test:443'], {})).toThrow(/expected a host/)
  })
})

describe('where the CA lives', () => {
  it('is --ca-dir, else <data-dir>/ca, else the user configuration folder', () => {
    const env = { XDG_CONFIG_HOME: '/home/u/.cfg' }
    expect(loadConfig(['--ca-dir', '/x/ca'], env).ca).toEqual({
      cert: '/x/ca/jumio-mock-ca.pem',
      key: '/x/ca/jumio-mock-ca-key.pem',
      own: false,
    })
    expect(loadConfig(['--data-dir', '/data'], env).ca.cert).toBe('/data/ca/jumio-mock-ca.pem')
    expect(loadConfig([], env).ca.cert).toBe('/home/u/.cfg/jumio-mock/ca/jumio-mock-ca.pem')
  })

  it('defaults to ~/.config on Unix and %APPDATA% on Windows', () => {
    expect(defaultCaDir({}, 'linux', '/home/u')).toBe('/home/u/.config/jumio-mock/ca')
    expect(defaultCaDir({ XDG_CONFIG_HOME: '' }, 'darwin', '/Users/u')).toBe(
      '/Users/u/.config/jumio-mock/ca',
    )
    expect(defaultCaDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u')).toMatch(
      /^C:\/Users\/u\/AppData\/Roaming.jumio-mock.ca$/,
    )
  })

  it('--ca-cert and --ca-key go together, and must exist', () => {
    expect(() => loadConfig(['--ca-cert', 'package.json'], {})).toThrow(/go together/)
    expect(() => loadConfig(['--ca-cert', '/nope.pem', '--ca-key', 'package.json'], {})).toThrow(
      /--ca-cert \/nope\.pem: no such file/,
    )
    const own = loadConfig(['--ca-cert', 'package.json', '--ca-key', 'README.md'], {}).ca
    expect(own).toMatchObject({ own: true })
    expect(own.cert).toMatch(/\/package\.json$/)
  })
})
