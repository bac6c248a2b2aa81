import { describe, expect, it } from 'vitest'
import {
  engineRequestSchema,
  engineResponseSchema,
  fromWireError,
  isReadyMessage,
  toWireError,
} from '../../../../src/main/engine/worker/protocol.js'
import { ModelIntegrityError } from '../../../../src/main/engine/models/pack.js'

describe('inference protocol', () => {
  it('parses each request kind and keeps tensor data as typed arrays', () => {
    const data = Float32Array.from([1, 2])
    const run = engineRequestSchema.parse({ seq: 3, kind: 'run', model: 'm', feeds: { x: { type: 'float32', dims: [2], data } } })
    expect(run.kind === 'run' && run.feeds.x.data).toBe(data)
    expect(engineRequestSchema.parse({ seq: 4, kind: 'cancel', target: 3 })).toEqual({ seq: 4, kind: 'cancel', target: 3 })
    for (const kind of ['info', 'shutdown'] as const) expect(engineRequestSchema.parse({ seq: 1, kind })).toEqual({ seq: 1, kind })
  })

  it('rejects malformed requests: unknown kind, missing seq, data that is not a typed array', () => {
    expect(engineRequestSchema.safeParse({ seq: 1, kind: 'explode' }).success).toBe(false)
    expect(engineRequestSchema.safeParse({ kind: 'info' }).success).toBe(false)
    const plain = { seq: 1, kind: 'run', model: 'm', feeds: { x: { type: 'float32', dims: [2], data: [1, 2] } } }
    expect(engineRequestSchema.safeParse(plain).success).toBe(false)
  })

  it('carries errors by name and message across the boundary', () => {
    const wire = toWireError(new ModelIntegrityError('/p/m.onnx', 'a'.repeat(64), 'b'.repeat(64)))
    const back = fromWireError(wire)
    expect(back.name).toBe('ModelIntegrityError')
    expect(back.message).toContain(`expected sha256 ${'a'.repeat(64)}, found ${'b'.repeat(64)}`)
    expect(engineResponseSchema.safeParse({ seq: 1, ok: false, error: wire }).success).toBe(true)
    expect(engineResponseSchema.safeParse({ seq: 1, ok: true, value: null }).success).toBe(true)
    expect(engineResponseSchema.safeParse({ seq: 1, ok: 'yes' }).success).toBe(false)
    expect(isReadyMessage({ kind: 'ready', pid: 1 })).toBe(true)
    expect(isReadyMessage({ seq: 1, ok: true, value: null })).toBe(false)
  })
})
