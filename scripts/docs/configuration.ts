/**
 * @module docs/configuration.md's tables: the serve options from the OPTIONS table of
 * src/config.ts (the one reader of flags and env vars) and the other commands from their own
 * option lists, the same rows `--help` prints, so the page cannot drift from the code.
 */
import { OPTIONS } from '../../src/config.js'
import type { HelpOption } from '../../src/cli/command.js'
import { commands } from '../../src/cli/commands.js'
import { cell } from './markdown.js'

const MIB = 1024 * 1024

/** The default cell: the value in code, sizes also in MiB, and "empty" for an empty default. */
function defaultCell(o: HelpOption): string {
  if (o.default === '') return 'empty'
  const bytes = o.flag.endsWith('-bytes') ? Number(o.default) : NaN
  const mib = bytes % MIB === 0 ? ` (${String(bytes / MIB)} MiB)` : ''
  return `\`${o.default}\`${mib}`
}

/** The meaning cell: the help line, with the accepted values when it does not name them. */
function meaningCell(o: HelpOption): string {
  const help = cell(o.help)
  const choices = o.choices ?? []
  const named = choices.every((c) => help.includes(c))
  const list = choices.map((c) => `\`${c}\``).join(', ')
  const timer = o.timer ? ' (at most `24d`)' : ''
  return (named ? help : `${help}: one of ${list}`) + timer
}

/** A Markdown table of options, in `--help` order. */
export function optionsTable(options: readonly HelpOption[] = OPTIONS): string {
  const rows = options.map(
    (o) => `| \`--${o.flag}\` | \`${o.env}\` | ${defaultCell(o)} | ${meaningCell(o)} |`,
  )
  return [
    '| Flag | Environment variable | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

/** The commands table, then one section per command other than serve with its own options. */
export function commandsReference(): string {
  const list = [...commands].map(([name, c]) => `| \`${name}\` | ${c.summary} |`)
  const table = ['| Command | What it does |', '| --- | --- |', ...list].join('\n')
  const sections = [...commands]
    .filter(([name]) => name !== 'serve')
    .map(([name, c]) => {
      // the serve options a command takes are the very rows of OPTIONS (exec's)
      const own = c.options.filter((o) => !OPTIONS.includes(o))
      const inherited = c.options.length - own.length
      const others = OPTIONS.filter((o) => !c.options.includes(o)).map((o) => `\`--${o.flag}\``)
      const also =
        inherited > 0
          ? `It also takes every [serve option](#options) but ${others.join(' and ')}.`
          : ''
      const notes = c.notes ?? ''
      return [
        `### \`jumio-mock ${name}\``,
        `\`jumio-mock ${name} ${c.usage}\`: ${c.summary}.`,
        optionsTable(own),
        also,
        notes,
      ]
        .filter(Boolean)
        .join('\n\n')
    })
  return [table, ...sections].join('\n\n')
}
