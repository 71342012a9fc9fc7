#!/usr/bin/env node
/**
 * @module Process entry: hand the arguments and the environment to the CLI, exit with its code.
 */
import { packageVersion } from './package-files.js'
import { runCli } from './cli/run.js'

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY,
  version: packageVersion(),
})
// Exit explicitly: timers of workflows and callbacks must not keep a stopped mock alive. Flush
// stdout first so that piped `--help` output is never cut.
process.stdout.write('', () => process.exit(code))
