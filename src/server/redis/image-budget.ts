/**
 * @module The image budget for the cluster: an upload reserves its bytes in Redis, so
 * the uploads arriving on every replica count against one `--max-image-bytes`. A reservation
 * lapses by itself after the longest time an upload may take: a replica killed in the middle of
 * one does not hold the budget for ever.
 */
import { randomUUID } from 'node:crypto'
import { ImageBudget, budgetFull, hold } from '../domain/image-budget.js'
import type { ImageHold } from '../state/store.js'
import type { RedisStore } from './store.js'

/** Reservations shared by every replica. */
export class RedisImageBudget extends ImageBudget {
  constructor(
    private readonly shared: RedisStore,
    max: number,
    private readonly ttlMs: number,
  ) {
    super(shared, max)
  }

  override async reserve(bytes: number): Promise<ImageHold> {
    const id = randomUUID()
    if (!(await this.shared.reserve(id, bytes, this.ttlMs))) throw budgetFull(this.max)
    const key = `${id}:${String(bytes)}`
    return hold(key, () => {
      // a release Redis misses lapses with the reservation
      this.shared.release(key).catch(() => undefined)
    })
  }
}
