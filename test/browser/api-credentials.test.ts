/**
 * The QA console's API credentials panel in a real browser, against the built CLI
 * (`node dist/main.js`): create a client with its permissions (the secret shown once, and never
 * again after a reload), rotate it with a grace period, deactivate it; each step checked on the
 * token endpoint.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { tokenRequest } from '../helpers/credentials.js'
import { admin } from '../helpers/flow.js'
import { expectAccessible, useBrowserKit } from './kit.js'

const { server: s, newPage } = useBrowserKit()

const TENANT = 'console-co'

/** The cells of the panel's row of a client id. */
function rowOf(p: Page, clientId: string): Promise<string[]> {
  return p.locator(`#credentials-rows tr:has(td:text-is("${clientId}")) td`).allTextContents()
}

/** The id and secret the panel shows, once it shows a secret other than `not`. */
async function shownSecret(p: Page, not = ''): Promise<{ id: string; secret: string }> {
  const value = p.locator('#new-secret-value')
  await expect
    .poll(async () => (await value.isVisible()) && (await value.textContent()))
    .not.toBe(false)
  await expect.poll(() => value.textContent()).not.toBe(not)
  return {
    id: (await p.locator('#new-secret-id').textContent()) ?? '',
    secret: (await value.textContent()) ?? '',
  }
}

const tokenStatus = async (id: string, secret: string) => (await tokenRequest(s, id, secret)).status

describe('the API credentials panel of the QA console', () => {
  it('creates a client (secret shown once), rotates it with a grace, and deactivates it', async () => {
    const p = await newPage()
    await p.goto(`${s.url}/__admin/ui`)
    await p.getByLabel(/^Tenant/).fill(TENANT)
    await p.getByLabel('Name (optional)').fill('Onboarding')
    await p.getByLabel('Retrieve & delete').uncheck()
    await p.getByRole('button', { name: 'Create credential' }).click()
    const made = await shownSecret(p)
    expect(made.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await expect
      .poll(() => rowOf(p, made.id))
      .toEqual([
        made.id,
        'OAuth2 client',
        'Onboarding',
        TENANT,
        'INITIATE',
        'ACTIVE',
        'RotateDeactivate',
      ])
    expect(await tokenStatus(made.id, made.secret)).toBe(200)
    const listed = await admin(s, 'get', '/api-credentials', undefined, TENANT).expect(200)
    expect(listed.body).toMatchObject({
      apiCredentials: [{ clientId: made.id, permissions: ['INITIATE'] }],
    })
    await expectAccessible(p)

    // a reload shows the credential, never its secret
    await p.reload()
    await p.getByLabel(/^Tenant/).fill(TENANT)
    await expect.poll(() => rowOf(p, made.id)).toHaveLength(7)
    expect(await p.locator('#new-secret').isHidden()).toBe(true)
    expect(await p.content()).not.toContain(made.secret)

    await p.getByLabel('Grace when rotating (seconds)').fill('120')
    await p.getByRole('button', { name: `Rotate ${made.id}` }).click()
    const rotated = await shownSecret(p, made.secret)
    expect(rotated.id).toBe(made.id)
    expect([
      await tokenStatus(made.id, made.secret),
      await tokenStatus(made.id, rotated.secret),
    ]).toEqual([200, 200])
    await expect
      .poll(async () => (await rowOf(p, made.id))[5])
      .toMatch(/^ACTIVE \(old secret until /)

    await p.getByRole('button', { name: `Deactivate ${made.id}` }).click()
    await expect.poll(async () => (await rowOf(p, made.id)).slice(5)).toEqual(['INACTIVE', ''])
    expect(await tokenStatus(made.id, rotated.secret)).toBe(400)
    await expect.poll(() => p.locator('#console-status').textContent()).toBe('Done.')
  })

  it('creates a deprecated API user', async () => {
    const p = await newPage()
    await p.goto(`${s.url}/__admin/ui`)
    await p.getByLabel('Type').selectOption('API_USER')
    await p.getByRole('button', { name: 'Create credential' }).click()
    const user = await shownSecret(p)
    await expect.poll(async () => (await rowOf(p, user.id)).slice(1, 2)).toEqual(['API user'])
    // an API user gets no access token: it calls with Basic auth
    expect(await tokenStatus(user.id, user.secret)).toBe(400)
  })
})
