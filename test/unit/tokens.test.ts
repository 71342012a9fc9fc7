/**
 * The tokens an instance issues are known to it as verified from the start: their first use must
 * give exactly what verifying them gives, and must not make the issuer accept anything more.
 */
import { describe, expect, it } from 'vitest'
import { ACCESS_TOKEN_TTL_S, TokenService } from '../../src/server/domain/tokens.js'
import type { TransactionClaims } from '../../src/server/domain/tokens.js'
import type { Permission } from '../../src/server/domain/credential-model.js'

const SECRET = new TextEncoder().encode('a secret of the tests, shared by both instances')
const NOW = Date.UTC(2026, 2, 2, 9, 15, 27)

const claims: TransactionClaims = {
  exAt: String(NOW + 3_600_000),
  accId: 'acc-1',
  aId: 'wfe-1',
  wfeId: 'wfe-1',
  cRef: 'ref "quoted" é',
  cId: 'c-1',
}

/** `token` with its signature's first character changed. */
const tampered = (token: string) => {
  const cut = token.lastIndexOf('.') + 1
  return `${token.slice(0, cut)}${token[cut] === 'A' ? 'B' : 'A'}${token.slice(cut + 1)}`
}

describe('tokens issued by this instance', () => {
  it('read at first use as another instance verifies them', async () => {
    const issuer = new TokenService(SECRET)
    const other = new TokenService(SECRET)
    const tx = await issuer.issueTransactionToken(claims)
    expect(await issuer.verifyTransactionToken(tx)).toEqual(await other.verifyTransactionToken(tx))
    const read = await issuer.verifyTransactionToken(tx)
    expect(Object.isFrozen(read)).toBe(true)
    expect(read).not.toBe(claims)

    // permissions as given, and with one the mock does not know (verification drops it)
    const given = ['ACCOUNTS_CREATE', 'NOT_A_PERMISSION'] as unknown as Permission[]
    for (const permissions of [undefined, given]) {
      const access = await issuer.issueAccessToken(
        'client-1',
        'tenant-1',
        NOW,
        'jti-1',
        permissions,
      )
      const mine = await issuer.verifyAccessToken(access, NOW)
      expect(mine).toEqual(await other.verifyAccessToken(access, NOW))
      expect(mine.expiresAt).toBe(NOW - (NOW % 1000) + ACCESS_TOKEN_TTL_S * 1000)
    }
  })

  it('are still refused once expired, and nothing else is accepted', async () => {
    const issuer = new TokenService(SECRET)
    const access = await issuer.issueAccessToken('client-1', 'tenant-1', NOW, 'jti-2')
    await expect(
      issuer.verifyAccessToken(access, NOW + ACCESS_TOKEN_TTL_S * 1000),
    ).rejects.toMatchObject({ status: 401 })
    await expect(issuer.verifyAccessToken(tampered(access), NOW)).rejects.toMatchObject({
      status: 401,
    })
    const tx = await issuer.issueTransactionToken(claims)
    await expect(issuer.verifyTransactionToken(tampered(tx))).rejects.toMatchObject({
      status: 401,
    })
    // after a new secret, its own earlier tokens are another instance's
    issuer.rekey(new TextEncoder().encode('another secret'))
    await expect(issuer.verifyTransactionToken(tx)).rejects.toMatchObject({ status: 401 })
  })
})
