/**
 * The client's site in browser tests: a tiny loopback page server standing in for the site that
 * sends users to the journey (successUrl, errorUrl) and embeds it in an iframe.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The client's site: records every request, and serves a parent page that embeds `?src=`. */
export interface SiteServer {
  url: string
  hits: URL[]
  close: () => Promise<void>
}

/** Starts the client's site on loopback. */
export async function startSite(): Promise<SiteServer> {
  const hits: URL[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end()
      return
    }
    hits.push(url)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    if (url.pathname === '/parent') {
      res.end(parentPage(url.searchParams.get('src') ?? ''))
      return
    }
    res.end(`<!doctype html><html lang="en"><title>${url.pathname}</title><h1>${url.pathname}</h1>`)
  })
  server.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
  }
}

function parentPage(src: string): string {
  const attr = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
  // The listener parses event.data as Jumio's own iframe logging example does.
  return `<!doctype html><html lang="en"><head><title>Parent</title><script>
window.jumioEvents = [];
window.addEventListener('message', function (event) {
  window.jumioEvents.push({ raw: event.data, data: JSON.parse(event.data) });
});
</script></head><body><h1>Parent</h1>
<iframe title="Jumio" src="${attr}" width="900" height="900"></iframe></body></html>`
}
