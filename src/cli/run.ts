/**
 * @module Argument dispatch: `--help`, `--version`, then the named command or `serve`. A bad
 * flag, value, command or scenarios file prints one clear message and exits with code 2.
 */
import { ConfigError } from '../config.js'
import { ScenarioFileError } from '../scenarios/load.js'
import type { CliContext } from './command.js'
import { commands, DEFAULT_COMMAND } from './commands.js'
import { commandHelp, mainHelp } from './help.js'
import { ListenError } from './serve.js'

const HELP = new Set(['--help', '-h', 'help'])
const VERSION = new Set(['--version', '-v', 'version'])

/** Runs `jumio-mock ARGV` and resolves with the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [first = '', ...rest] = argv
  if (HELP.has(first)) {
    const named = commands.get(rest[0] ?? '')
    ctx.stdout.write(
      named ? commandHelp(rest[0] ?? '', named) : mainHelp(ctx.version, commands, DEFAULT_COMMAND),
    )
    return 0
  }
  if (VERSION.has(first)) {
    ctx.stdout.write(`${ctx.version}\n`)
    return 0
  }
  const explicit = commands.get(first)
  if (!explicit && first !== '' && !first.startsWith('-')) {
    return usageError(
      ctx,
      `Unknown command "${first}" (commands: ${[...commands.keys()].join(', ')})`,
    )
  }
  const name = explicit ? first : DEFAULT_COMMAND
  const command = explicit ?? commands.get(DEFAULT_COMMAND)
  const args = explicit ? rest : [...argv]
  if (!command) return usageError(ctx, `No command "${name}"`)
  // a --help after `--` belongs to the command that exec runs, not to us
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args
  if (own.some((a) => a === '--help' || a === '-h')) {
    ctx.stdout.write(commandHelp(name, command))
    return 0
  }
  try {
    return await command.run(args, ctx)
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ScenarioFileError) {
      return usageError(ctx, err.message)
    }
    if (err instanceof ListenError) {
      ctx.stderr.write(`jumio-mock: ${err.message}\n`)
      return 1
    }
    throw err
  }
}

function usageError(ctx: CliContext, message: string): number {
  ctx.stderr.write(`jumio-mock: ${message}\n`)
  return 2
}
