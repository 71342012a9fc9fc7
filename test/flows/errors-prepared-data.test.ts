import { beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { credentialOf, pathOf, txTokenOf, useClient } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const jumio = useClient(s)
let w: Created
beforeAll(async () => {
  w = await jumio.create({
    customerInternalReference: 'prepared',
    userReference: 'u-1',
    workflowDefinition: { key: 10010 },
  })
})

const href = () => credentialOf(w, 'DATA').api?.parts['prepared_data'] ?? ''
const upload = (body: unknown) => jumio.uploadJson(href(), txTokenOf(w), body)

describe('PREPARED_DATA: §8.2 fields and formats (400 naming the field)', () => {
  it.each([
    ['dateOfBirth as DD.MM.YYYY', { dateOfBirth: '12.04.1990' }, '/dateOfBirth'],
    ['dateOfBirth with a time', { dateOfBirth: '1990-04-12T00:00:00Z' }, '/dateOfBirth'],
    [
      'dateOfBirth on 30 February',
      { dateOfBirth: '1990-02-30' },
      '/dateOfBirth must match format "date"',
    ],
    ['id.expiryDate as YYYY/MM/DD', { id: { expiryDate: '2031/01/31' } }, '/id/expiryDate'],
    [
      'id.issuingDate as a number',
      { id: { issuingDate: 20200101 } },
      '/id/issuingDate must be string',
    ],
    ['email without a domain', { email: 'jane.doe' }, '/email must match format "email"'],
    ['email with spaces', { email: 'jane doe@example.com' }, '/email'],
    ['phoneNumber with letters', { phoneNumber: '+231-375-CALL' }, '/phoneNumber must match'],
    ['phoneNumber without +', { phoneNumber: '14155550100' }, '/phoneNumber'],
    ['phoneNumber2 too long', { phoneNumber2: '+1234567890123456' }, '/phoneNumber2'],
    [
      'address.country in lower case',
      { address: { country: 'usa' } },
      '/address/country must match pattern',
    ],
    ['address.country as a name', { address: { country: 'Germany' } }, '/address/country'],
    ['address.country of one letter', { address: { country: 'D' } }, '/address/country'],
    [
      'id.type VISA',
      { id: { type: 'VISA' } },
      '/id/type must be equal to one of the allowed values (PASSPORT, DRIVING_LICENSE, ID_CARD)',
    ],
    ['id.type in lower case', { id: { type: 'passport' } }, '/id/type'],
    [
      'an unknown top-level field',
      { firstname: 'JANE' },
      '/ must NOT have additional properties (firstname)',
    ],
    [
      'an unknown address field',
      { address: { street: 'Main' } },
      '/address must NOT have additional properties (street)',
    ],
    [
      'an unknown id field',
      { id: { number: 'X1' } },
      '/id must NOT have additional properties (number)',
    ],
    ['a non-string firstName', { firstName: 42 }, '/firstName must be string'],
    ['a JSON array', [{ firstName: 'JANE' }], '/ must be object'],
    ['a JSON string', 'JANE DOE', '/ must be object'],
    ['JSON null', null, '/ must be object'],
  ])('refuses %s', async (_, body, detail) => {
    expectProblem(await upload(body), 400, `Invalid prepared data: ${detail}`)
  })

  it.each([
    ['text that is not JSON', 'firstName=JANE', 'The request body is not valid JSON'],
    ['truncated JSON', '{"firstName": "JANE"', 'The request body is not valid JSON'],
    ['an empty body', '', 'A JSON request body is required'],
  ])('refuses %s', async (_, text, detail) => {
    const res = await s.http
      .post(pathOf(href()))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .set('Content-Type', 'application/json')
      .send(text)
    expectProblem(res, 400, detail)
  })

  it('refuses an image sent to PREPARED_DATA', async () => {
    const res = await jumio.upload(href(), txTokenOf(w), samplePng(800, 500))
    expectProblem(res, 400, 'The request body is not valid JSON')
  })

  it('accepts alpha-2 countries, E.164 numbers and the kyc object', async () => {
    const body = {
      dateOfBirth: '1990-04-12',
      email: 'jane@example.com',
      phoneNumber: '+4930123456',
      address: { country: 'DE' },
      id: { type: 'ID_CARD', issuingDate: '2020-01-01' },
      kyc: { anything: { nested: true } },
    }
    await upload(body).expect(200)
    const part = `/api/v1/accounts/${w.account.id}/credentials/${credentialOf(w, 'DATA').id}/parts/PREPARED_DATA`
    const res = await jumio.retrieve(part).expect(200)
    expect(res.body).toEqual(body)
  })

  it('records the fields a workflow needs that its prepared data lacks (10005)', async () => {
    const cpf = await jumio.create({
      customerInternalReference: 'cpf',
      workflowDefinition: { key: 10005 },
    })
    const send = (body: unknown) =>
      jumio.uploadJson(
        credentialOf(cpf, 'DATA').api?.parts['prepared_data'] ?? '',
        txTokenOf(cpf),
        body,
      )
    const partial = await send({ firstName: 'JOAO', lastName: 'SILVA' }).expect(200)
    expect(partial.headers['x-mock-violations']).toBe(
      '1; SCHEMA: Workflow 10005 needs personalNumber, address.country in its prepared data',
    )
    const whole = { personalNumber: '12345678909', firstName: 'JOAO', lastName: 'SILVA' }
    const complete = await send({ ...whole, address: { country: 'BRA' } }).expect(200)
    expect(complete.headers['x-mock-violations']).toBeUndefined()
  })

  it('takes a number with separators, as in Jumio’s own example, and records SCHEMA', async () => {
    // WF-KYX-2022's example (jumio-reference §8.2); the newer table asks for E.164
    const res = await upload({ firstName: 'JANE', phoneNumber: '+231-375-9663' }).expect(200)
    expect(res.headers['x-mock-violations']).toMatch(/^1; SCHEMA: phoneNumber is not E\.164/)
  })

  it('records CONTENT_TYPE for prepared data sent as text/plain, and takes it', async () => {
    const res = await s.http
      .post(pathOf(href()))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .set('User-Agent', 'AcmeBank KYC/1.0')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ firstName: 'JANE' }))
      .expect(200)
    expect(res.headers['x-mock-violations']).toMatch(
      /^1; CONTENT_TYPE: Content-Type is "text\/plain"/,
    )
  })

  it('keeps the previous prepared data when an upload is refused', async () => {
    await upload({ firstName: 'JANE', lastName: 'DOE' }).expect(200)
    await upload({ firstName: 'JOHN', dateOfBirth: 'yesterday' }).expect(400)
    const part = `/api/v1/accounts/${w.account.id}/credentials/${credentialOf(w, 'DATA').id}/parts/PREPARED_DATA`
    const res = await jumio.retrieve(part).expect(200)
    expect(res.body).toEqual({ firstName: 'JANE', lastName: 'DOE' })
  })
})
