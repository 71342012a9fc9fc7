/**
 * @module The registry of `jumio-mock` subcommands. To add one, add an entry here: its name on
 * the command line and a {@link Command}. `--help` lists them in this order.
 */
import { caCommand } from './ca.js'
import type { Command } from './command.js'
import { execCommand } from './exec.js'
import { serveCommand } from './serve.js'
import { verifyCommand } from './verify.js'
import { verifyCallbacksCommand } from './verify-callbacks.js'

/** The command that runs when the first argument is not a command name. */
export const DEFAULT_COMMAND = 'serve'

/** Every subcommand by name. */
export const commands = new Map<string, Command>([
  ['serve', serveCommand],
  ['verify', verifyCommand],
  ['verify-callbacks', verifyCallbacksCommand],
  ['exec', execCommand],
  ['ca', caCommand],
])
