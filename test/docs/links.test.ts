/**
 * Every relative link and anchor in README.md, docs/ and the contracts' READMEs resolves: the
 * file or folder exists, and an anchor names a heading of the target page, slugged as GitHub
 * does (github-slugger, duplicates numbered). Links are read with marked's lexer, so links in
 * code are not links; HTML `href` and `src` attributes count too.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import GithubSlugger from 'github-slugger'
import { lexer, walkTokens } from 'marked'
import type { Token, Tokens } from 'marked'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The pages checked: README.md, every page of docs/, and the contracts' READMEs. */
function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
  return ['README.md', ...docs, 'contracts/README.md', 'contracts/examples/README.md']
}

const tokensOf = (page: string): Token[] => lexer(readFileSync(join(ROOT, page), 'utf8'))

/** The text of a heading as GitHub reads it for its anchor: inline code and links as text. */
function plainText(tokens: Token[]): string {
  return tokens
    .map((t): string => {
      const { text, tokens: inner } = t as { text?: unknown; tokens?: Token[] }
      if (t.type !== 'codespan' && inner) return plainText(inner)
      return typeof text === 'string' ? text : ''
    })
    .join('')
}

const anchorCache = new Map<string, Set<string>>()

/** The anchors of a page's headings, as GitHub makes them. */
function anchorsOf(page: string): Set<string> {
  let anchors = anchorCache.get(page)
  if (!anchors) {
    const slugger = new GithubSlugger()
    anchors = new Set()
    void walkTokens(tokensOf(page), (t) => {
      if (t.type === 'heading') anchors?.add(slugger.slug(plainText((t as Tokens.Heading).tokens)))
    })
    anchorCache.set(page, anchors)
  }
  return anchors
}

/** Every link target of a page: Markdown links and images, and HTML href and src attributes. */
function linksOf(page: string): string[] {
  const links: string[] = []
  void walkTokens(tokensOf(page), (t) => {
    if (t.type === 'link' || t.type === 'image') links.push((t as Tokens.Link).href)
    if (t.type === 'html') {
      for (const m of (t as Tokens.HTML).text.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
        links.push(m[1] ?? '')
      }
    }
  })
  return links
}

/** Why a relative link of a page does not resolve, or null when it does. */
function brokenReason(page: string, link: string): string | null {
  const [path = '', anchor] = link.split('#')
  const target = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURI(path))
  if (!existsSync(target)) return `no file ${relative(ROOT, target)}`
  if (anchor === undefined) return null
  if (statSync(target).isDirectory() || !target.endsWith('.md')) return 'an anchor on a non-page'
  const anchors = anchorsOf(relative(ROOT, target))
  return anchors.has(anchor) ? null : `no heading #${anchor} in ${relative(ROOT, target)}`
}

const isRelative = (link: string) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('//')

describe('links in the docs', () => {
  it('checks README.md, the topic pages and the contracts READMEs, which have links', () => {
    const all = pages().flatMap((p) => linksOf(p).filter(isRelative))
    expect(pages().length).toBeGreaterThan(10)
    expect(all.length).toBeGreaterThan(50)
  })

  it.each(pages())('every relative link and anchor in %s resolves', (page) => {
    const broken = linksOf(page)
      .filter(isRelative)
      .map((link) => [link, brokenReason(page, link)] as const)
      .filter(([, reason]) => reason !== null)
      .map(([link, reason]) => `${link}: ${String(reason)}`)
    expect(broken).toEqual([])
  })

  it('slugs headings as GitHub does', () => {
    const slugger = new GithubSlugger()
    expect(slugger.slug('`jumio-mock verify`')).toBe('jumio-mock-verify')
    expect(slugger.slug("Choices where Jumio's sources disagree")).toBe(
      'choices-where-jumios-sources-disagree',
    )
    expect(slugger.slug('4.1 Endpoints [D]')).toBe('41-endpoints-d')
    expect(slugger.slug('4.1 Endpoints [D]')).toBe('41-endpoints-d-1')
  })
})
