/**
 * @module The image budget for the cluster: an upload reserves its bytes in Redis, so
 * the uploads arriving on every replica count against one `--max-image-bytes`. A reservation
 * lapses by itself after the longest time an upload may take: a replica killed in the middle of
 * one does not hold the budget for ever.
 */
import { randomUUID } from 'node:crypto'
import { ImageBudget } from '../domain/image-budget.js'
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

  /** A reservation of its own, named `id:bytes`, that the save of the upload removes. */
  override async take(bytes: number): Promise<string | null> {
    const id = randomUUID()
    return (await this.shared.reserve(id, bytes, this.ttlMs)) ? `${id}:${String(bytes)}` : null
  }

  override giveBack(keys: readonly string[]): void {
    // a release Redis misses lapses with the reservation
    if (keys.length > 0) this.shared.release(keys).catch(() => undefined)
  }
}
