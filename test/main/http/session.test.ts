import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_PAGE_CSP } from '../../../src/main/http/login-page.js'
import { createSessionToken, hasValidSession, readCookie, sessionCookieName, tokenMatches } from '../../../src/main/http/session.js'
import { send, startHttpFixture, type HttpFixture } from './http-fixture.js'

const json = { 'Content-Type': 'application/json' }

describe('browser-mode session', () => {
  let f: HttpFixture
  let port: number
  let cookie: string
  beforeAll(async () => {
    f = await startHttpFixture()
    port = f.server.port
    cookie = `${sessionCookieName(port)}=${f.server.token}`
  })
  afterAll(() => f.remove())

  it('trades the printed link for an HttpOnly, SameSite=Strict cookie and a clean URL', async () => {
    const reply = await send(port, 'GET', `/?token=${f.server.token}`)
    expect(reply.status).toBe(303)
    expect(reply.headers.location).toBe('/')
    expect(reply.headers['set-cookie']).toEqual([`${sessionCookieName(port)}=${f.server.token}; Path=/; HttpOnly; SameSite=Strict`])
    expect(reply.headers['cache-control']).toBe('no-store')
    // other query parameters survive the exchange
    const keep = await send(port, 'GET', `/?view=search&token=${f.server.token}`)
    expect(keep.headers.location).toBe('/?view=search')
    // with the cookie the app loads
    expect((await send(port, 'GET', '/', { Cookie: `theme=dark; ${cookie}` })).status).toBe(200)
  })

  it('shows the "open the link" page to a browser without a session, and a wrong link says so', async () => {
    const none = await send(port, 'GET', '/')
    expect(none.status).toBe(401)
    expect(none.text).toContain('Open the link printed by <code>constella serve</code>')
    expect(none.headers['content-security-policy']).toBe(LOGIN_PAGE_CSP)
    expect(none.headers['set-cookie']).toBeUndefined()
    expect(none.text).not.toContain(f.server.token)
    const wrong = await send(port, 'GET', '/?token=not-the-token')
    expect(wrong.status).toBe(401)
    expect(wrong.headers['set-cookie']).toBeUndefined()
    expect(wrong.text).toContain('Each start makes a new link')
    expect((await send(port, 'GET', '/index.html', { Cookie: `${sessionCookieName(port)}=stale` })).status).toBe(401)
    // a cookie for another port's server is not this one's session
    expect((await send(port, 'GET', '/', { Cookie: `${sessionCookieName(port + 1)}=${f.server.token}` })).status).toBe(401)
  })

  it('refuses every API call and media request without a valid token with 401', async () => {
    const api = await send(port, 'POST', '/api/app.info', json, '{}')
    expect(api.status).toBe(401)
    expect(JSON.parse(api.text)).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('constella serve') } })
    expect((await send(port, 'POST', '/api/models.list', { ...json, Authorization: 'Bearer nope' }, '{}')).status).toBe(401)
    expect((await send(port, 'POST', '/api/nope', json, '{}')).status).toBe(401)
    expect((await send(port, 'POST', '/api/uploads.add', json, '{"data":"AAAA"}')).status).toBe(401)
    for (const p of ['/media/thumb/1', '/media/photo/1', '/media/photo/2', '/media/x']) {
      expect((await send(port, 'GET', p)).status, p).toBe(401)
      expect((await send(port, 'GET', p, { Cookie: `${sessionCookieName(port)}=${f.server.token}x` })).status, p).toBe(401)
    }
    expect(f.media.asked).toEqual([])
  })

  it('accepts the cookie or a Bearer header', async () => {
    expect((await send(port, 'POST', '/api/app.info', { ...json, Cookie: cookie }, '{}')).status).toBe(200)
    expect((await send(port, 'POST', '/api/app.info', { ...json, ...f.auth }, '{}')).status).toBe(200)
    expect((await send(port, 'GET', '/media/thumb/1', { Cookie: cookie })).status).toBe(200)
  })
})

describe('session helpers', () => {
  it('makes distinct url-safe tokens and compares them in full', () => {
    const a = createSessionToken()
    expect(a).not.toBe(createSessionToken())
    expect(tokenMatches(a, a)).toBe(true)
    expect(tokenMatches(a.slice(0, -1), a)).toBe(false)
    expect(tokenMatches(`${a}x`, a)).toBe(false)
    expect(tokenMatches('', a)).toBe(false)
    expect(tokenMatches(undefined, a)).toBe(false)
  })

  it('reads the cookie and Bearer header strictly', () => {
    expect(readCookie('a=1; constella-session-5=t; b=2', 'constella-session-5')).toBe('t')
    expect(readCookie('xconstella-session-5=t', 'constella-session-5')).toBeUndefined()
    expect(hasValidSession({ authorization: 'Bearer tok' }, 5, 'tok')).toBe(true)
    expect(hasValidSession({ authorization: 'Basic tok' }, 5, 'tok')).toBe(false)
    expect(hasValidSession({ authorization: 'Bearer tok extra' }, 5, 'tok')).toBe(false)
    expect(hasValidSession({}, 5, 'tok')).toBe(false)
  })
})
