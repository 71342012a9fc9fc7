/**
 * @module What a subcommand of `jumio-mock` is: `serve` (the default) and any other registered
 * in `commands.ts` (`verify`, `exec`...).
 */
import type { Writable } from 'node:stream'
import type { OPTIONS } from '../config.js'

/** One option as `--help` lists it: the shape of a row of `OPTIONS` in `src/config.ts`. */
export type HelpOption = (typeof OPTIONS)[number]

/** What a command gets from the process, so that it never reads `process.env` itself. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>
  stdout: Writable
  stderr: Writable
  /** Whether stderr is a terminal (picks the pretty log format). */
  isTTY: boolean
  version: string
}

/** A subcommand: `run` resolves with the process exit code. */
export interface Command {
  /** One line for the command list of `jumio-mock --help`. */
  summary: string
  /** What follows `jumio-mock <name>` in the usage line, e.g. `[options]`. */
  usage: string
  /** The options `jumio-mock <name> --help` lists with their env vars and defaults. */
  options: readonly HelpOption[]
  /** Extra paragraphs at the end of the command's help. */
  notes?: string
  /**
   * Runs the command with the arguments after its name. Throw `ConfigError` (from
   * `src/config.ts`) for a bad flag or value: the dispatcher prints it and exits with 2.
   */
  run(argv: string[], ctx: CliContext): Promise<number>
}

/** An option row of a command other than `serve` (verify, verify-callbacks). */
export function option(
  flag: string,
  env: string,
  dflt: string,
  help: string,
  kind: HelpOption['kind'] = 'string',
): HelpOption {
  return { flag, env, kind, default: dflt, help }
}
