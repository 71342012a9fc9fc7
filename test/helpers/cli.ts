/**
 * Runs `jumio-mock <argv>` in-process and captures what it writes.
 */
import { Writable } from 'node:stream'
import { runCli } from '../../src/cli/run.js'

/** A writable that keeps everything written to it. */
function sink(): { stream: Writable; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  return { stream, text: () => text }
}

/** The exit code, stdout and stderr of one command line. */
export async function cli(argv: string[], env: Record<string, string> = {}) {
  const out = sink()
  const err = sink()
  const code = await runCli(argv, {
    env,
    stdout: out.stream,
    stderr: err.stream,
    isTTY: false,
    version: 'test',
  })
  return { code, out: out.text(), err: err.text() }
}
