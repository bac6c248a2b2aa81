import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/main/api/handlers.js'
import { createServices } from '../../../src/main/api/services.js'
import { createPackFixture } from './pack-fixture.js'

describe('createServices over a pack on disk', () => {
  const pack = createPackFixture()
  afterAll(() => pack.remove())

  it('verifies every model file against the manifest', async () => {
    const reply = await createApi(createServices({ packDir: pack.dir, version: '9.9.9' })).call('models.list', {})
    if (!reply.ok) throw new Error(reply.error.message)
    expect(reply.value.map((m) => [m.name, m.status])).toEqual([
      ['centernet-mobilenetv3', 'ok'],
      ['inceptionv3-mixed10', 'mismatch'],
      ['glove-6b-100d', 'missing'],
    ])
    expect(reply.value[0]).toMatchObject({ role: 'detector', source: '@vladmandic/human@3.3.6', file: 'centernet.onnx', bytes: 4096 })
    expect(reply.value[0].sha256).toBe(pack.manifest.models[0].sha256)
  })

  it('answers pack-unavailable, naming the rebuild command, when there is no manifest', async () => {
    const reply = await createApi(createServices({ packDir: '/nonexistent/constella-pack' })).call('models.list', {})
    expect(reply.ok).toBe(false)
    expect(!reply.ok && reply.error.code).toBe('pack-unavailable')
    expect(!reply.ok && reply.error.message).toMatch(/npm run build:models/)
  })

  it('takes the version from package.json by default', async () => {
    const reply = await createApi(createServices({ packDir: pack.dir })).call('app.info', {})
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(reply.ok && reply.value).toMatchObject({ version, platform: process.platform, packDir: pack.dir })
  })
})
