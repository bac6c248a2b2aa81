// The IPC transport's Electron-free half: who may call, and what a call answers (the real
// dispatcher), plus event forwarding to the windows of our own renderer.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/main/api/handlers.js'
import { forwardEvents, type EventReceiver } from '../../../src/main/ipc/event-forwarding.js'
import { dispatchIpc, isTrustedFrame } from '../../../src/main/ipc/ipc-dispatch.js'
import { IPC_EVENT_CHANNEL, type ApiEventMessage } from '../../../src/shared/api-contract.js'
import { eventHub, photoMedia, transportServices } from '../http/http-fixture.js'
import { createPackFixture } from '../api/pack-fixture.js'

const indexFile = path.resolve('/opt/constella/out/renderer/index.html')
const trusted = { indexFile }
const ours = pathToFileURL(indexFile).href

describe('IPC calls', () => {
  const pack = createPackFixture()
  afterAll(() => pack.remove())

  it('trusts only the top frame of our renderer', () => {
    expect(isTrustedFrame({ url: ours, parent: null }, trusted)).toBe(true)
    expect(isTrustedFrame({ url: `${ours}#/search`, parent: null }, trusted)).toBe(true)
    expect(isTrustedFrame({ url: ours, parent: { url: ours } }, trusted)).toBe(false)
    expect(isTrustedFrame({ url: 'https://evil.example/', parent: null }, trusted)).toBe(false)
    expect(isTrustedFrame({ url: pathToFileURL('/tmp/index.html').href, parent: null }, trusted)).toBe(false)
    expect(isTrustedFrame(null, trusted)).toBe(false)
    expect(isTrustedFrame(undefined, trusted)).toBe(false)
  })

  it('dispatches a trusted call and refuses others with forbidden, without running the handler', async () => {
    const asked: string[] = []
    const services = transportServices(pack.dir, eventHub(), await photoMedia())
    const api = createApi({ ...services, models: { ...services.models, check: () => (asked.push('check'), services.models.check()) } })
    const reply = await dispatchIpc(api, 'models.list', { url: ours, parent: null }, {}, trusted)
    expect(reply.ok && (reply.value as unknown[]).length).toBe(3)
    const refused = await dispatchIpc(api, 'models.list', { url: 'https://evil.example/', parent: null }, {}, trusted)
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: 'IPC call on models.list from an untrusted sender refused' } })
    const sub = await dispatchIpc(api, 'models.list', { url: ours, parent: {} }, {}, trusted)
    expect(!sub.ok && sub.error.code).toBe('forbidden')
    expect(asked).toEqual(['check'])
    const bad = await dispatchIpc(api, 'app.info', { url: ours, parent: null }, { extra: 1 }, trusted)
    expect(!bad.ok && bad.error.code).toBe('bad-request')
  })
})

describe('event forwarding', () => {
  /** A window's webContents as far as forwarding goes. */
  const receiver = (url: string, destroyed = false): EventReceiver & { got: unknown[][] } => {
    const got: unknown[][] = []
    return { got, isDestroyed: () => destroyed, getURL: () => url, send: (...args: unknown[]) => void got.push(args) }
  }
  const message: ApiEventMessage = { event: 'library.changed', payload: { reason: 'folders' } }

  it('sends every event on the event channel to live windows of our renderer only', () => {
    const hub = eventHub()
    const main = receiver(`${ours}#/library`)
    const elsewhere = receiver('https://evil.example/')
    const closed = receiver(ours, true)
    const stop = forwardEvents(hub, () => [main, elsewhere, closed], trusted)
    hub.emit(message)
    expect(main.got).toEqual([[IPC_EVENT_CHANNEL, message]])
    expect(elsewhere.got).toEqual([])
    expect(closed.got).toEqual([])
    stop()
    expect(hub.listeners).toBe(0)
    hub.emit(message)
    expect(main.got).toHaveLength(1)
  })
})
