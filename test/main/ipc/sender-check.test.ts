import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isTrustedSenderUrl } from '../../../src/main/ipc/sender-check.js'

const indexFile = path.resolve('/opt/constella/out/renderer/index.html')
const built = { indexFile }
const dev = { indexFile, devUrl: 'http://localhost:5173/' }

describe('isTrustedSenderUrl', () => {
  it('trusts the built index.html, with or without a hash or query', () => {
    const url = pathToFileURL(indexFile).href
    expect(isTrustedSenderUrl(url, built)).toBe(true)
    expect(isTrustedSenderUrl(`${url}#/photos`, built)).toBe(true)
    expect(isTrustedSenderUrl(`${url}?view=pack`, built)).toBe(true)
  })

  it('refuses other local files, remote pages and garbage', () => {
    for (const url of [
      pathToFileURL(path.resolve('/opt/constella/out/renderer/other.html')).href,
      pathToFileURL(path.resolve('/tmp/index.html')).href,
      'file://evil-host/opt/constella/out/renderer/index.html',
      'https://evil.example/',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<h1>x</h1>',
      'devtools://devtools/bundled/index.html',
      'not a url',
      '',
      undefined,
    ]) {
      expect(isTrustedSenderUrl(url, built), String(url)).toBe(false)
    }
  })

  it('during dev trusts the dev server origin only', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isTrustedSenderUrl('http://localhost:5173/src/index.html?x=1', dev)).toBe(true)
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedSenderUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isTrustedSenderUrl('http://127.0.0.1:5173/', dev)).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173.evil.example/', dev)).toBe(false)
  })
})
