/**
 * Assertions on error responses: Jumio's problem details `{title, status, detail}` and the token
 * endpoint's OAuth2 shape, plus the `X-Mock-Scenario` header every response carries.
 */
import type { Response } from 'supertest'
import { expect } from 'vitest'

/** The reason phrase the mock puts in `title` for each status it sends. */
export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  507: 'Insufficient Storage',
}

/** Asserts the status, the exact problem-details body and the scenario header. */
export function expectProblem(res: Response, status: number, detail: string): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status,
    body: { title: TITLES[status], status, detail: expect.stringContaining(detail) as string },
  })
  expect(res.headers['content-type']).toMatch(/^application\/(problem\+)?json/)
  expectScenarioHeader(res)
}

/** Asserts an OAuth2 error body `{"error": code}` with its status. */
export function expectOAuthError(res: Response, status: number, error: string): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({ status, body: { error } })
  expectScenarioHeader(res)
}

/** Every response names the scenario that answered it. */
export function expectScenarioHeader(res: Response, name = 'approved'): void {
  expect(res.headers['x-mock-scenario']).toBe(name)
}
