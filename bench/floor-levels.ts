/**
 * The floor ladder's levels (bench/floor.ts), each doing what the one before does, and more. The
 * first is the bare `node:http` floor the goals are judged against; the last two are a mock's least work in
 * memory and on disk.
 */
/** The mock's default `--heap-growth` (src/config.ts), which the `heap` level applies. */
export const MOCK_HEAP_GROWTH = 200

export const FLOOR_LEVELS = [
  ['node', 'bare `node:http`: reads each body, answers the fixed JSON'],
  ['hono', '+ Hono on @hono/node-server (its router; bodies read from the Node request)'],
  ['parse', '+ bodies parsed: multipart with @fastify/busboy, JSON, the token form'],
  ['check', "+ the image header check (the mock's `inspectUpload`)"],
  ['headers', '+ the four headers, a plain object on `new Response`'],
  ['journal', '+ a journal record of each exchange (a ring of 5,000)'],
  ['work', '+ least work: tokens signed, ids drawn, images kept, PROCESSED after finalize'],
  [
    'heap',
    `+ the mock's V8 heap settings (\`--heap-growth ${String(MOCK_HEAP_GROWTH)}\`, a small young generation)`,
  ],
  ['durable', '+ every write an fsynced SQLite transaction (as `--data-dir`)'],
] as const

export type FloorLevel = (typeof FLOOR_LEVELS)[number][0]

/** Variants of a level, beside the ladder: the cheapest ways we found to do the same work. */
export const FLOOR_VARIANTS = [
  ['parse', 'indexof', '`parse`, multipart read with Buffer.indexOf alone'],
  ['work', 'indexof', '`work`, multipart read with Buffer.indexOf alone'],
  ['durable', 'group', '`durable`, the writes of one event-loop turn in one transaction'],
  ['durable', 'normal', '`durable` with `synchronous = NORMAL` (no fsync a commit)'],
  ['durable', 'files', '`durable`, images in files written off the event loop, rows in groups'],
  ['durable', 'walsync', '`durable`, image files and the log synced off the event loop'],
] as const

/** The level's position on the ladder. */
export const levelIndex = (level: string) => FLOOR_LEVELS.findIndex(([l]) => l === level)
