import { describe, expect, it } from 'vitest'
import { ExclusiveGate } from '../../../../src/main/engine/library/exclusive-gate.js'

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('ExclusiveGate', () => {
  it('runs shared tasks together, exclusive tasks alone and before later shared ones', async () => {
    const gate = new ExclusiveGate()
    let running = 0
    const log: string[] = []
    const task = (name: string, ms: number) => async () => {
      running++
      log.push(`${name}+${running}`)
      await tick(ms)
      running--
      return name
    }
    const all = [
      gate.shared(task('a', 20)),
      gate.shared(task('b', 20)),
      gate.exclusive(task('X', 10)),
      gate.shared(task('c', 5)),
      gate.exclusive(task('Y', 5)),
    ]
    expect(await Promise.all(all)).toEqual(['a', 'b', 'X', 'c', 'Y'])
    // a and b overlap; X and Y each run with nothing else; c waits for both exclusive tasks
    expect(log).toEqual(['a+1', 'b+2', 'X+1', 'Y+1', 'c+1'])
  })

  it('releases the gate when a task throws', async () => {
    const gate = new ExclusiveGate()
    await expect(gate.exclusive(async () => { throw new Error('boom') })).rejects.toThrow('boom')
    expect(await gate.shared(async () => 1)).toBe(1)
  })
})
