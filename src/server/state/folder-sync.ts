/**
 * @module Syncs of a folder, shared: a file's new name is durable once its folder is synced, and
 * files created while a sync runs wait for the next one, which covers them all. Concurrent uploads
 * of durable mode (sqlite-images.ts) cost one folder sync, not one each. Nothing in it is
 * particular to folders: the bench's floor shares the syncs of SQLite's log file with it
 * (bench/floor-disk.ts, `walsync`).
 */
import { closeSync, fsync, fsyncSync } from 'node:fs'

/** The syncs of one open folder (or file). */
export class FolderSync {
  private waiting: { resolve: () => void; reject: (err: Error) => void }[] = []
  private running = false
  private closed = false

  /** `fd`: the folder (or file), opened for reading. */
  constructor(private readonly fd: number) {}

  /** Resolves once a sync that started after this call has finished. */
  sync(): Promise<void> {
    // closed: its descriptor's number may be another file's by now
    if (this.closed) return Promise.reject(closedError())
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (!this.running) this.start()
    })
  }

  /** Syncs the folder at once, on the calling thread (for a file written synchronously). */
  syncNow(): void {
    if (this.closed) throw closedError()
    fsyncSync(this.fd)
  }

  /** Closes the folder, once a sync running has finished (each instance that closes frees it). */
  close(): void {
    if (this.closed) return
    this.closed = true
    if (!this.running) closeSync(this.fd)
  }

  private start(): void {
    const batch = this.waiting
    this.waiting = []
    this.running = true
    fsync(this.fd, (err) => {
      this.running = false
      for (const w of batch) {
        if (err) w.reject(err)
        else w.resolve()
      }
      if (this.closed) {
        closeSync(this.fd)
        for (const w of this.waiting.splice(0)) w.reject(closedError())
      } else if (this.waiting.length > 0) this.start()
    })
  }
}

/** What a sync asked of a closed folder fails with. */
function closedError(): Error {
  return Object.assign(new Error('the folder was closed'), { code: 'EBADF' })
}
