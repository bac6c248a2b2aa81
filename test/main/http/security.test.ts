import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LOGIN_PAGE_CSP, loginPageHtml } from '../../../src/main/http/login-page.js'
import { BROWSER_CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, ELECTRON_CONTENT_SECURITY_POLICY, MEDIA_SCHEME } from '../../../src/main/http/security-headers.js'
import { isLoopbackHost } from '../../../src/main/http/request-guards.js'
import { resolveStaticPath } from '../../../src/main/http/static-files.js'

describe('content security policy', () => {
  it('index.html carries the same policy as the server header (meta-compatible directives)', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(CSP_DIRECTIVES.join('; '))
  })

  it('allows no inline script, eval or remote origin', () => {
    for (const policy of [CSP_DIRECTIVES.join('; '), BROWSER_CONTENT_SECURITY_POLICY, ELECTRON_CONTENT_SECURITY_POLICY, LOGIN_PAGE_CSP]) {
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
    }
  })

  it('lets images come from the media scheme in Electron only, and from the server itself in the browser', () => {
    expect(ELECTRON_CONTENT_SECURITY_POLICY).toContain(`img-src 'self' data: ${MEDIA_SCHEME}:;`)
    expect(BROWSER_CONTENT_SECURITY_POLICY).toContain("img-src 'self' data:;")
    expect(BROWSER_CONTENT_SECURITY_POLICY).not.toContain(MEDIA_SCHEME)
    expect(ELECTRON_CONTENT_SECURITY_POLICY).toContain(`connect-src 'self' ${MEDIA_SCHEME}:;`) // grid thumbnails are fetched
    for (const policy of [BROWSER_CONTENT_SECURITY_POLICY, ELECTRON_CONTENT_SECURITY_POLICY]) {
      expect(policy).toContain("connect-src 'self'")
      expect(policy).toContain("frame-ancestors 'none'")
    }
  })

  it('the login page allows exactly its own inline style, by hash, and no script', () => {
    expect(LOGIN_PAGE_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; /)
    expect(LOGIN_PAGE_CSP).not.toContain('script-src')
    for (const reason of ['no-session', 'bad-token'] as const) {
      const html = loginPageHtml(reason)
      const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? ''
      expect(LOGIN_PAGE_CSP).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`)
      expect(html).not.toMatch(/<script|\son\w+=/i)
    }
  })
})

describe('request guards', () => {
  it('accepts only loopback names on the right port', () => {
    expect(isLoopbackHost('127.0.0.1:8080', 8080)).toBe(true)
    expect(isLoopbackHost('localhost:8080', 8080)).toBe(true)
    expect(isLoopbackHost('[::1]:8080', 8080)).toBe(true)
    expect(isLoopbackHost('localhost', 80)).toBe(true)
    expect(isLoopbackHost(undefined, 8080)).toBe(false)
    expect(isLoopbackHost('localhost:8081', 8080)).toBe(false)
    expect(isLoopbackHost('localhost.evil.example:8080', 8080)).toBe(false)
    expect(isLoopbackHost('127.0.0.1.nip.io:8080', 8080)).toBe(false)
    expect(isLoopbackHost('127.0.0.1:8080/x', 8080)).toBe(false)
    expect(isLoopbackHost('a@127.0.0.1:8080', 8080)).toBe(false)
  })

  it('keeps static paths inside the root', () => {
    expect(resolveStaticPath('/srv/r', '/')).toBe('/srv/r/index.html')
    expect(resolveStaticPath('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js')
    expect(resolveStaticPath('/srv/r', '/../x')).toBeNull()
    expect(resolveStaticPath('/srv/r', '/%2e%2e/x')).toBeNull()
    expect(resolveStaticPath('/srv/r', '/%E0%A4%A')).toBeNull()
    expect(resolveStaticPath('/srv/r', '/.git/config')).toBeNull()
  })
})
