import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CSP_DIRECTIVES } from '../../../src/main/http/security-headers.js'
import { isLoopbackHost } from '../../../src/main/http/request-guards.js'
import { resolveStaticPath } from '../../../src/main/http/static-files.js'

describe('content security policy', () => {
  it('index.html carries the same policy as the server header (meta-compatible directives)', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(CSP_DIRECTIVES.join('; '))
  })

  it('allows no inline script, eval or remote origin', () => {
    const policy = CSP_DIRECTIVES.join('; ')
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
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
