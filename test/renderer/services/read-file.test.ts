import { describe, expect, it } from 'vitest'
import { dataUrlPayload, MAX_UPLOAD_BYTES, uploadProblem } from '../../../src/renderer/lib/services/read-file.js'
import { baseName, formatDuration, formatRate, plural } from '../../../src/renderer/lib/format.js'

describe('reading an outside photo', () => {
  it('refuses what the app would refuse, with a reason naming the file', () => {
    expect(uploadProblem({ name: 'a.jpg', type: 'image/jpeg', size: 1000 })).toBeNull()
    expect(uploadProblem({ name: 'big.jpg', type: 'image/jpeg', size: MAX_UPLOAD_BYTES + 1 })).toMatch(/big\.jpg is larger than 20 MB/)
    expect(uploadProblem({ name: 'notes.pdf', type: 'application/pdf', size: 10 })).toMatch(/not a photo/)
    expect(uploadProblem({ name: 'empty.png', type: 'image/png', size: 0 })).toMatch(/empty/)
  })

  it('takes the base64 payload out of a data URL', () => {
    expect(dataUrlPayload('data:image/jpeg;base64,QUJD')).toBe('QUJD')
    expect(dataUrlPayload('garbage')).toBe('')
  })
})

describe('formatting for people', () => {
  it('says durations, rates, counts and names the short way', () => {
    expect(formatDuration(12.4)).toBe('12 s')
    expect(formatDuration(240)).toBe('4 min')
    expect(formatDuration(3900)).toBe('1 h 05 min')
    expect(formatRate(3.24)).toBe('3.2 photos/s')
    expect(formatRate(null)).toBe('—')
    expect(plural(1, 'photo')).toBe('1 photo')
    expect(plural(12345, 'photo')).toBe('12,345 photos')
    expect(baseName('/home/ann/Pictures/')).toBe('Pictures')
  })
})
