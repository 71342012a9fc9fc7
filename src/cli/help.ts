/**
 * @module `--help` text, generated from the commands and from `OPTIONS` in `src/config.ts`, so
 * that it can never disagree with what the parser accepts.
 */
import type { Command, HelpOption } from './command.js'

const HINTS: Record<HelpOption['kind'], string> = {
  int: '<n>',
  string: '<value>',
  duration: '<duration>',
  bool: '[=true|false]',
  url: '<url>',
}

/** `  --flag <hint>`: how the option is written. */
function head(o: HelpOption): string {
  return `  --${o.flag} ${o.choices ? `<${o.choices.join('|')}>` : HINTS[o.kind]}`
}

/** One option: flag and value, env var and default, then what it does. */
function optionLines(o: HelpOption, width: number): string[] {
  const value = o.default === '' ? 'none' : o.default
  return [`${head(o).padEnd(width)}env ${o.env}, default ${value}`, `      ${o.help}`]
}

/** The options block of a command. */
export function optionsHelp(options: readonly HelpOption[]): string {
  const width = Math.max(0, ...options.map((o) => head(o).length)) + 2
  return options.flatMap((o) => optionLines(o, width)).join('\n')
}

const COMMON = `Flags are written --name value or --name=value; a boolean flag alone means true.
Flags win over environment variables, which win over the defaults. Durations: 500ms, 2s, 15m, 1h,
1d or plain milliseconds. An unknown flag or an invalid value exits with code 2.`

/** `jumio-mock --help`: the commands, then the options of the default command. */
export function mainHelp(
  version: string,
  commands: ReadonlyMap<string, Command>,
  fallback: string,
): string {
  const names = [...commands.keys()]
  const width = Math.max(...names.map((n) => n.length)) + 2
  const list = names.map((n) => `  ${n.padEnd(width)}${commands.get(n)?.summary ?? ''}`)
  const dflt = commands.get(fallback)
  return [
    `jumio-mock ${version}: an offline, faithful mock of Jumio's KYX REST API`,
    '',
    `Usage: jumio-mock [command] [options]`,
    `       jumio-mock --help | --version`,
    '',
    'Commands:',
    ...list,
    '',
    `Without a command, "${fallback}" runs. "jumio-mock <command> --help" shows a command's options.`,
    '',
    `Options of ${fallback} (each also read from its environment variable):`,
    optionsHelp(dflt?.options ?? []),
    '',
    COMMON,
    ...(dflt?.notes ? ['', dflt.notes] : []),
    '',
  ].join('\n')
}

/** `jumio-mock <command> --help`. */
export function commandHelp(name: string, command: Command): string {
  return [
    `Usage: jumio-mock ${name} ${command.usage}`,
    '',
    command.summary,
    ...(command.options.length > 0
      ? [
          '',
          'Options (each also read from its environment variable):',
          optionsHelp(command.options),
        ]
      : []),
    '',
    COMMON,
    ...(command.notes ? ['', command.notes] : []),
    '',
  ].join('\n')
}
