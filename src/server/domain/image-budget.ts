/**
 * @module The image budget (`--max-image-bytes`) holds the images the store keeps and the
 * uploads still arriving. An upload reserves the most bytes it may bring before any is read.
 * When the budget cannot hold them, even once the store has let go of completed workflow
 * executions, the upload is refused with 507: a workflow execution in progress is never dropped
 * to make room, since a journey would then fail for an upload that was not its own.
 */
import { JumioProblem, PROBLEMS } from '../errors.js'
import type { ImageHold, Store } from '../state/store.js'

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
  reserve(bytes: number): Promise<ImageHold> {
    const mine = this.turn.then(() => this.take(bytes))
    this.turn = mine.catch(() => undefined)
    return mine
  }

  private async take(bytes: number): Promise<ImageHold> {
    if (!(await this.store.makeRoom(this.arriving + bytes))) {
      throw budgetFull(this.max)
    }
    this.arriving += bytes
    return hold('', () => {
      this.arriving -= bytes
    })
  }
}

/** A hold whose bytes `giveBack` returns, once, unless the store ended it itself. */
export function hold(key: string, giveBack: () => void): ImageHold {
  let ended = false
  return {
    key,
    release() {
      if (!ended) giveBack()
      ended = true
    },
    forget() {
      ended = true
    },
  }
}

/** The 507 of an upload the image budget cannot hold. */
export function budgetFull(max: number): JumioProblem {
  return new JumioProblem(
    PROBLEMS.insufficientStorage,
    `The mock's image budget (--max-image-bytes, ${max} bytes) is held by workflow executions in progress and uploads arriving; finalize, delete or let some expire, or raise --max-image-bytes`,
  )
}
