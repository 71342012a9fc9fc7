/**
 * A genuinely full disk for durable mode's tests: a small tmpfs mounted in a mount namespace of
 * its own (`unshare --user --map-root-user --mount`: no root needed where unprivileged user
 * namespaces are allowed, and nothing left mounted on the host if the test dies). A holder
 * process keeps the namespace alive, so a mock can be SIGKILLed and started again on the same
 * full disk; the test reaches the files through /proc/HOLDER/root to fill and free the disk.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** A tmpfs of its own, and the mock started on it. */
export interface Tmpfs {
  /** The mount point, as processes in the namespace see it. */
  dir: string
  /** A path in the namespace, as the test process reaches it. */
  reach(path: string): string
  /** Starts `jumio-mock ARGS` in the namespace. */
  spawn(args: string[]): Child
  /** Fills the disk to the last byte. */
  fill(): void
  /** Frees what {@link fill} took. */
  free(): void
  close(): void
}

/** Mounts a tmpfs of `bytes`; fails (never skips) where the system does not allow it. */
export async function mountTmpfs(bytes: number): Promise<Tmpfs> {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-tmpfs-'))
  const holder = spawn(
    'unshare',
    ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c'].concat(
      `mount -t tmpfs -o size=${String(bytes)} tmpfs "$0" && echo mounted && exec sleep infinity`,
      dir,
    ),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let err = ''
  holder.stderr.on('data', (c: Buffer) => (err += c.toString()))
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => {
      resolve()
    })
    holder.once('exit', () => {
      reject(new Error(`cannot mount a tmpfs in a user namespace (unshare -rm): ${err}`))
    })
  })
  const pid = String(holder.pid)
  const seen = (path: string) => `/proc/${pid}/root${path}`
  const filler = join(dir, 'filler')
  const enter = ['nsenter', '-t', pid, '-U', '-m', '--preserve-credentials']
  // the test process sees the host's empty directory; the namespace sees the tmpfs
  if (spawnSync(...cmd(enter, ['mountpoint', '-q', dir])).status !== 0)
    throw new Error(`${dir} is not a mount point in the namespace`)
  return {
    dir,
    reach: seen,
    spawn: (args) =>
      spawnCli(args, { command: [...enter, process.execPath, '--import', TSX, MAIN] }),
    fill: () => {
      const fd = openSync(seen(filler), 'a')
      const chunk = Buffer.alloc(64 * 1024, 1)
      try {
        for (let size = chunk.length; size >= 1;) {
          try {
            writeSync(fd, chunk, 0, size)
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e
            size >>= 1 // the last pages: smaller writes until not one byte fits
          }
        }
      } finally {
        closeSync(fd)
      }
    },
    free: () => {
      unlinkSync(seen(filler))
    },
    close: () => {
      holder.kill('SIGKILL')
      rmdirSync(dir)
    },
  }
}

function cmd(prefix: string[], args: string[]): [string, string[]] {
  const [first = '', ...rest] = [...prefix, ...args]
  return [first, rest]
}
