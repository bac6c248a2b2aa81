// The media protocol's path checks (src/main/protocol.ts). Electron is mocked: only the pure
// functions are under test, and the electron package cannot load without its binary here.
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { isInsideLibrary, mediaUrlToPath } from '../../../src/main/protocol.js'

vi.mock('electron', () => ({ net: {}, protocol: {} }))

describe('isInsideLibrary (posix)', () => {
  const roots = ['/home/ana/Pictures', '/mnt/photos/']
  const p = path.posix

  it('accepts files inside a library folder, at any depth', () => {
    expect(isInsideLibrary('/home/ana/Pictures/a.jpg', roots, p)).toBe(true)
    expect(isInsideLibrary('/home/ana/Pictures/2024/trip/b.png', roots, p)).toBe(true)
    expect(isInsideLibrary('/mnt/photos/x.webp', roots, p)).toBe(true)
    expect(isInsideLibrary('/home/ana/Pictures/..hidden.jpg', roots, p)).toBe(true)
  })

  it('refuses the root itself, siblings, prefixes and escapes', () => {
    expect(isInsideLibrary('/home/ana/Pictures', roots, p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures/', roots, p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures2/a.jpg', roots, p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures/../.ssh/id_rsa', roots, p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures/a/../../secret.jpg', roots, p)).toBe(false)
    expect(isInsideLibrary('/etc/passwd', roots, p)).toBe(false)
  })

  it('refuses relative paths, relative roots, empty input and NUL bytes', () => {
    expect(isInsideLibrary('Pictures/a.jpg', roots, p)).toBe(false)
    expect(isInsideLibrary('a.jpg', ['.'], p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures/a.jpg', ['Pictures'], p)).toBe(false)
    expect(isInsideLibrary('', roots, p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures/a.jpg\0.png', roots, p)).toBe(false)
    expect(isInsideLibrary('/home/ana/Pictures/a.jpg', [], p)).toBe(false)
  })
})

describe('isInsideLibrary (win32)', () => {
  const p = path.win32
  const roots = ['C:\\Users\\Ana\\Pictures']

  it('compares case-insensitively and refuses other drives and UNC paths', () => {
    expect(isInsideLibrary('C:\\Users\\Ana\\Pictures\\a.jpg', roots, p)).toBe(true)
    expect(isInsideLibrary('c:\\users\\ana\\pictures\\a.jpg', roots, p)).toBe(true)
    expect(isInsideLibrary('C:\\Users\\Ana\\Pictures\\..\\a.jpg', roots, p)).toBe(false)
    expect(isInsideLibrary('D:\\Users\\Ana\\Pictures\\a.jpg', roots, p)).toBe(false)
    expect(isInsideLibrary('\\\\server\\share\\a.jpg', roots, p)).toBe(false)
  })
})

describe('mediaUrlToPath', () => {
  it('reads constella-media://library/<absolute path>', () => {
    expect(mediaUrlToPath('constella-media://library/home/ana/Pictures/a%20b.jpg', path.posix)).toBe('/home/ana/Pictures/a b.jpg')
    expect(mediaUrlToPath('constella-media://library/C:/Users/Ana/a.jpg', path.win32)).toBe('C:\\Users\\Ana\\a.jpg')
  })

  it('normalises dot segments so the library check sees the real target', () => {
    const file = mediaUrlToPath('constella-media://library/home/ana/Pictures/%2e%2e/%2e%2e/etc/passwd', path.posix)
    expect(file).toBe('/home/etc/passwd')
    expect(isInsideLibrary(file ?? '', ['/home/ana/Pictures'], path.posix)).toBe(false)
  })

  it('refuses other schemes and hosts', () => {
    expect(mediaUrlToPath('file:///etc/passwd', path.posix)).toBeNull()
    expect(mediaUrlToPath('constella-media://other/etc/passwd', path.posix)).toBeNull()
    expect(mediaUrlToPath('constella-media://library/%E0%A4%A', path.posix)).toBeNull()
    expect(mediaUrlToPath('nonsense', path.posix)).toBeNull()
  })
})
