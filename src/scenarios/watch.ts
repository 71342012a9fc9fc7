/**
 * @module Hot reload: when the scenarios file changes, load it again; an invalid change keeps the
 * last good set and logs why.
 */
import { watch } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Logger } from '../logger.js'
import { loadScenarios } from './load.js'
import type { ScenarioRegistry } from './registry.js'

/** Watches the registry's file; returns a function that stops watching. */
export function watchScenarios(
  registry: ScenarioRegistry,
  log: Logger,
  debounceMs = 100,
): () => void {
  const path = registry.path
  let timer: NodeJS.Timeout | undefined
  // Watch the folder: editors often replace the file rather than write it in place.
  const watcher = watch(dirname(path), (_event, name) => {
    if (name !== null && name !== basename(path)) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      reload(registry, log)
    }, debounceMs)
  })
  watcher.unref()
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}

/** Loads the file again; keeps the last good set when the new one is invalid. */
export function reload(registry: ScenarioRegistry, log: Logger): boolean {
  try {
    const file = loadScenarios(registry.path)
    registry.replace(file)
    log.info('scenarios reloaded', { file: file.path, scenarios: file.scenarios.size })
    return true
  } catch (err) {
    log.error('scenarios file change rejected; keeping the last good set', {
      error: (err as Error).message,
    })
    return false
  }
}
