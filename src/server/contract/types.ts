/**
 * @module Short names for the generated contract types. Never edit `jumio.gen.ts`; change
 * `contracts/jumio.openapi.yaml` and run `npm run gen:types`.
 */
import type { components } from './jumio.gen.js'

type Schemas = components['schemas']
export type AccountRequest = Schemas['AccountRequest']
export type AccountResponse = Schemas['AccountResponse']
export type AccountCredential = Schemas['AccountCredential']
export type PartUploadResponse = Schemas['PartUploadResponse']
export type FinalizeResponse = Schemas['FinalizeResponse']
export type WorkflowStatusResponse = Schemas['WorkflowStatusResponse']
export type WorkflowDetails = Schemas['WorkflowDetails']
export type StepsResponse = Schemas['StepsResponse']
export type AccessTokenResponse = Schemas['AccessTokenResponse']
export type HealthResponse = Schemas['HealthResponse']
export type CallbackBody = Schemas['CallbackBody']
export type Problem = Schemas['Problem']
