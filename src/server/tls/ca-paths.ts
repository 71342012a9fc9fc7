/**
 * @module Where the mock's certificate authority lives. Its own CA (`--ca-cert`,
 * `--ca-key`) wherever the user keeps it; otherwise the one the mock generates on first use, in
 * `--ca-dir`, else `<data-dir>/ca`, else a folder of the user's configuration directory. That
 * is a configuration folder and not a cache on purpose: clients trust the file, so it must
 * outlive a cache clean-up, or every client would stop trusting the mock at once.
 */
import { join } from 'node:path'
import { nodeOs } from './builtins.js'

/** The CA's two PEM files; `own` when the user brought them (never generated nor rewritten). */
export interface CaFiles {
  cert: string
  key: string
  own: boolean
}

/** The names of a generated CA's files in its folder. */
export const CA_CERT_FILE = 'jumio-mock-ca.pem'
export const CA_KEY_FILE = 'jumio-mock-ca-key.pem'

/** The files of a CA generated in `dir`. */
export function generatedCaFiles(dir: string): CaFiles {
  return { cert: join(dir, CA_CERT_FILE), key: join(dir, CA_KEY_FILE), own: false }
}

/**
 * The CA folder when neither `--ca-dir` nor `--data-dir` names one: `jumio-mock/ca` in
 * `%APPDATA%` on Windows, `$XDG_CONFIG_HOME` elsewhere, or `~/.config` (the XDG default, also on
 * macOS, as most command-line tools do).
 */
export function defaultCaDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
  home: string = env['HOME'] || env['USERPROFILE'] || nodeOs().homedir(),
): string {
  const base =
    platform === 'win32'
      ? env['APPDATA'] || join(home, 'AppData', 'Roaming')
      : env['XDG_CONFIG_HOME'] || join(home, '.config')
  return join(base, 'jumio-mock', 'ca')
}
