/**
 * @module The image budget (`--max-image-bytes`) holds the images the store keeps and the
 * uploads still arriving. An upload reserves the most bytes it may bring before any is read: its
 * Content-Length, or, streamed without one, a step at a time as its bytes arrive.
 * When the budget cannot hold them, even once the store has let go of completed workflow
 * executions, the upload is refused with 507: a workflow execution in progress is never dropped
 * to make room, since a journey would then fail for an upload that was not its own.
 */
import { JumioProblem, PROBLEMS } from '../errors.js'
import type { ImageHold, Store } from '../state/store.js'

/** An upload's hold, which a streamed upload grows as it arrives. */
export interface GrowingHold extends ImageHold {
  /** Takes `bytes` more; false when the budget cannot hold them (the hold keeps what it has). */
  grow(bytes: number): Promise<boolean>
}

/** Reservations of image bytes against the store's bound. */
export class ImageBudget {
  /** Bytes reserved by uploads still arriving. */
  private arriving = 0

  constructor(
    protected readonly store: Store,
    protected readonly max: number,
  ) {}

  /** Reservations in turn: each sees what the ones before it took. */
  private turn: Promise<unknown> = Promise.resolve()

  /**
   * Reserves `bytes` for an upload: the hold ends when the save that stores them counts them
   * (state/store.ts), or when the upload fails and gives them back.
   */
  async reserve(bytes: number): Promise<GrowingHold> {
    const hold = new Hold(this)
    if (bytes > 0 && !(await hold.grow(bytes))) throw budgetFull(this.max)
    return hold
  }

  /**
   * Takes `bytes` for a hold: Redis's name for them ('' in one process), or null when they do not
   * fit. For {@link Hold} only.
   */
  take(bytes: number): Promise<string | null> {
    const mine = this.turn.then(async () => {
      if (!(await this.store.makeRoom(this.arriving + bytes))) return null
      this.arriving += bytes
      return ''
    })
    this.turn = mine.catch(() => undefined)
    return mine
  }

  /** Gives back what a hold took: `bytes` in all, under `keys`. For {@link Hold} only. */
  giveBack(_keys: readonly string[], bytes: number): void {
    this.arriving -= bytes
  }
}

/** The bytes an upload holds, given back once, unless the store's save ended the hold itself. */
class Hold implements GrowingHold {
  private ended = false
  private readonly keys: string[] = []
  private bytes = 0

  constructor(private readonly budget: ImageBudget) {}

  get key(): string {
    return this.keys.join(' ')
  }

  async grow(bytes: number): Promise<boolean> {
    if (this.ended) return false
    const key = await this.budget.take(bytes)
    if (key === null) return false
    // ended while it waited (the upload failed): the bytes go straight back
    if (this.hasEnded()) {
      this.budget.giveBack(key ? [key] : [], bytes)
      return false
    }
    if (key) this.keys.push(key)
    this.bytes += bytes
    return true
  }

  /** Read again after an await (a property read would be taken as unchanged). */
  private hasEnded(): boolean {
    return this.ended
  }

  release(): void {
    if (this.ended) return
    this.ended = true
    this.budget.giveBack(this.keys, this.bytes)
  }

  forget(): void {
    this.ended = true
  }
}

/** The 507 of an upload the image budget cannot hold. */
export function budgetFull(max: number): JumioProblem {
  return new JumioProblem(
    PROBLEMS.insufficientStorage,
    `The mock's image budget (--max-image-bytes, ${max} bytes) is held by workflow executions in progress and uploads arriving; finalize, delete or let some expire, or raise --max-image-bytes`,
  )
}
