import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../../src/main/api/handlers.js'
import { createServices } from '../../src/main/api/services.js'
import { startHttpServer, type RunningHttpServer } from '../../src/main/http/server.js'
import { call, createHttpApi, type FetchLike } from '../../src/renderer/lib/api.js'
import { ApiError } from '../../src/shared/envelope.js'
import { createPackFixture } from '../main/api/pack-fixture.js'

describe('renderer HTTP client', () => {
  it('POSTs JSON to /api/<channel> and returns the envelope', async () => {
    const seen: { input: string; body: string; headers: Record<string, string> }[] = []
    const fetchFn: FetchLike = async (input, init) => {
      seen.push({ input, body: init.body, headers: init.headers })
      return { status: 200, json: async () => ({ ok: true, value: [] }) }
    }
    const reply = await createHttpApi(fetchFn)['models.list']({})
    expect(reply).toEqual({ ok: true, value: [] })
    expect(seen).toEqual([{ input: '/api/models.list', body: '{}', headers: { 'Content-Type': 'application/json' } }])
  })

  it('turns network failures and non-envelope replies into internal envelopes', async () => {
    const down = createHttpApi(async () => {
      throw new TypeError('Failed to fetch')
    })
    expect(await down['app.info']({})).toEqual({ ok: false, error: { code: 'internal', message: 'cannot reach the Constella server: Failed to fetch' } })
    const proxy = createHttpApi(async () => ({ status: 502, json: async () => ({ hello: 1 }) }))
    const reply = await proxy['app.info']({})
    expect(!reply.ok && reply.error.message).toMatch(/HTTP 502 and no envelope/)
  })

  it('call() unwraps values and throws ApiError with the code', async () => {
    const failing = createHttpApi(async () => ({ status: 503, json: async () => ({ ok: false, error: { code: 'pack-unavailable', message: 'no pack' } }) }))
    await expect(call('models.list', {}, failing)).rejects.toEqual(new ApiError('pack-unavailable', 'no pack'))
    const fine = createHttpApi(async () => ({ status: 200, json: async () => ({ ok: true, value: { version: '1' } }) }))
    await expect(call('app.info', {}, fine)).resolves.toEqual({ version: '1' })
  })

  describe('against the real server', () => {
    const pack = createPackFixture()
    let server: RunningHttpServer
    beforeAll(async () => {
      server = await startHttpServer({ api: createApi(createServices({ packDir: pack.dir })), rendererDir: pack.dir })
    })
    afterAll(async () => {
      await server.close()
      pack.remove()
    })

    it('speaks the same contract', async () => {
      const client = createHttpApi((input, init) => fetch(input, init), server.url.replace(/\/$/, ''))
      const models = await call('models.list', {}, client)
      expect(models.map((m) => m.status)).toEqual(['ok', 'mismatch', 'missing'])
      const bad = await client['app.info']({ unexpected: true } as never)
      expect(!bad.ok && bad.error.code).toBe('bad-request')
    })
  })
})
