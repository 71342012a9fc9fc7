/**
 * @module Bounded memos for the hot path: a client reuses the same token for many requests, so
 * what is read or verified from it once is remembered. A memo that fills up starts over.
 */

/** How many entries a memo keeps before it starts over. */
export const MEMO_LIMIT = 1_000

/** Stores `value` under `key`, clearing the map first when it is full. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, limit = MEMO_LIMIT): V {
  if (map.size >= limit) map.clear()
  map.set(key, value)
  return value
}

/** `fn` with its results remembered per key (for pure functions of a string). */
export function memoize<T>(fn: (key: string) => T, limit = MEMO_LIMIT): (key: string) => T {
  const known = new Map<string, T>()
  return (key) => {
    const hit = known.get(key)
    return hit !== undefined || known.has(key) ? (hit as T) : remember(known, key, fn(key), limit)
  }
}
