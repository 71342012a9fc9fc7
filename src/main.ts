#!/usr/bin/env node
/**
 * @module Process entry: read the config, build the app, listen. Nothing else.
 */
import { serve } from '@hono/node-server'
import { ConfigError, loadConfig } from './config.js'
import { ScenarioFileError } from './scenarios/load.js'
import { watchScenarios } from './scenarios/watch.js'
import { createApp } from './server/app.js'
import { createDeps } from './server/deps.js'

try {
  const config = loadConfig(process.argv.slice(2), process.env)
  const deps = createDeps(config)
  if (config.watchScenarios) watchScenarios(deps.scenarios, deps.log)
  const server = serve(
    { fetch: createApp(deps).fetch, port: config.port, hostname: config.host },
    (info) => {
      const url = `http://${config.host}:${info.port}`
      console.log(
        `jumio-mock ready at ${url} (scenarios ${deps.scenarios.path}, default scenario "${deps.scenarios.default.name}", admin ${url}/__admin)`,
      )
    },
  )
  const stop = () => {
    server.close(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
} catch (err) {
  if (err instanceof ConfigError || err instanceof ScenarioFileError) {
    console.error(`jumio-mock: ${err.message}`)
    process.exit(2)
  }
  throw err
}
