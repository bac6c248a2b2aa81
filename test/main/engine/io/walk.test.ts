/**
 * The photo walk on real folders: recursion, symlink loops, links to files and folders, broken
 * links, unreadable folders, hidden entries and the extension filter.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PHOTO_EXTENSIONS, walkPhotos } from '../../../../src/main/engine/io/walk.js'

let base: string
let root: string

beforeEach(() => {
  // base/photos is the walked root; base holds nothing else, so a link to `..` from the root
  // leads only back into the root.
  base = mkdtempSync(path.join(tmpdir(), 'constella-walk-'))
  root = path.join(base, 'photos')
  mkdirSync(root)
})
afterEach(() => {
  // Restore permissions first, or the cleanup of a chmod 000 folder fails for a non-root user.
  try {
    chmodSync(path.join(root, 'locked'), 0o755)
  } catch {
    // not created by this test
  }
  rmSync(base, { recursive: true, force: true })
})

/** Creates `rel` under the root with some bytes (the walk does not read contents). */
function touch(rel: string): string {
  const file = path.join(root, rel)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, 'x')
  return file
}

const rel = (files: string[]): string[] => files.map((f) => path.relative(root, f))

describe('walkPhotos', () => {
  it('finds photos recursively, sorted, keeping photo extensions only (any case)', async () => {
    touch('a.jpg')
    touch('b.JPEG')
    touch('sub/c.png')
    touch('sub/deeper/d.webp')
    touch('sub/deeper/e.avif')
    touch('f.tif')
    touch('g.TIFF')
    touch('h.gif')
    touch('phone.heic')
    touch('notes.txt')
    touch('movie.mp4')
    touch('raw.cr2')
    touch('no-extension')
    touch('sub/photo.jpg.bak')
    const walk = await walkPhotos([root])
    expect(rel(walk.files)).toEqual(['a.jpg', 'b.JPEG', 'f.tif', 'g.TIFF', 'h.gif', 'phone.heic', 'sub/c.png', 'sub/deeper/d.webp', 'sub/deeper/e.avif'])
    expect(walk.problems).toEqual([])
    // HEIC is listed on purpose: it becomes a failed photo with advice rather than being ignored.
    expect([...PHOTO_EXTENSIONS]).toEqual(expect.arrayContaining(['.jpg', '.jpeg', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif', '.heic']))
  })

  it('skips hidden files and hidden folders', async () => {
    touch('visible.jpg')
    touch('.hidden.jpg')
    touch('.thumbnails/t.jpg')
    touch('sub/.DS_Store')
    touch('sub/.cache/c.png')
    touch('sub/shown.png')
    expect(rel((await walkPhotos([root])).files)).toEqual(['sub/shown.png', 'visible.jpg'])
  })

  it('terminates on symlink loops (a -> ..) and lists each photo once', async () => {
    touch('top.jpg')
    touch('sub/inner.png')
    touch('sub/deeper/deep.webp')
    symlinkSync('..', path.join(root, 'sub', 'a')) // sub/a -> photos
    symlinkSync('..', path.join(root, 'sub', 'deeper', 'up')) // deeper/up -> sub
    symlinkSync('.', path.join(root, 'self')) // self -> photos
    symlinkSync('..', path.join(root, 'parent')) // parent -> base, which contains photos
    const walk = await walkPhotos([root])
    expect(rel(walk.files)).toEqual(['sub/deeper/deep.webp', 'sub/inner.png', 'top.jpg'])
    expect(new Set(walk.files.map((f) => realpathSync(f))).size).toBe(walk.files.length)
    expect(walk.problems).toEqual([])
  })

  it('lists a photo reached through links to it or to its folder once', async () => {
    touch('albums/2019/beach.jpg')
    symlinkSync(path.join(root, 'albums', '2019'), path.join(root, 'aa-favourites')) // sorted before albums
    symlinkSync(path.join(root, 'albums', '2019', 'beach.jpg'), path.join(root, 'zz-beach-link.jpg'))
    const walk = await walkPhotos([root, path.join(root, 'albums', '2019', 'beach.jpg')])
    expect(walk.files).toHaveLength(1)
    expect(realpathSync(walk.files[0])).toBe(realpathSync(path.join(root, 'albums', '2019', 'beach.jpg')))
  })

  it('reports broken links, self-referencing links and missing roots without throwing', async () => {
    touch('ok.jpg')
    symlinkSync(path.join(base, 'unmounted-drive'), path.join(root, 'external'))
    symlinkSync('gone.jpg', path.join(root, 'gone.jpg')) // points at itself: ELOOP
    symlinkSync('nowhere.png', path.join(root, 'dangling.png'))
    const missingRoot = path.join(base, 'no-such-folder')
    const walk = await walkPhotos([root, missingRoot])
    expect(rel(walk.files)).toEqual(['ok.jpg'])
    const problems = Object.fromEntries(walk.problems.map((p) => [path.basename(p.path), p.reason]))
    expect(problems).toEqual({
      'dangling.png': 'does not exist (or is a broken link)',
      external: 'does not exist (or is a broken link)',
      'gone.jpg': 'symbolic link loop',
      'no-such-folder': 'does not exist (or is a broken link)',
    })
  })

  it('does not throw on an unreadable folder (chmod 000): reports it, or lists it where permissions do not apply', async () => {
    touch('readable.jpg')
    touch('locked/secret.jpg')
    chmodSync(path.join(root, 'locked'), 0o000)
    const walk = await walkPhotos([root])
    if (process.getuid?.() === 0) {
      // root ignores permission bits (CAP_DAC_OVERRIDE), so EACCES cannot be provoked here: the
      // folder is read like any other. The permission-denied branch runs for any other user.
      expect(rel(walk.files)).toEqual(['locked/secret.jpg', 'readable.jpg'])
      expect(walk.problems).toEqual([])
    } else {
      expect(rel(walk.files)).toEqual(['readable.jpg'])
      expect(walk.problems).toEqual([{ path: path.join(root, 'locked'), reason: 'permission denied' }])
    }
  })

  it('accepts single files as roots (listed once) and ignores a fifo named like a photo', async () => {
    const photo = touch('single.png')
    touch('other.jpg')
    execFileSync('mkfifo', [path.join(root, 'pipe.jpg')])
    const walk = await walkPhotos([photo, path.join(root, 'other.jpg'), path.join(root, 'other.jpg')])
    expect(rel(walk.files)).toEqual(['other.jpg', 'single.png'])
    expect(rel((await walkPhotos([root])).files)).toEqual(['other.jpg', 'single.png'])
    expect((await walkPhotos([path.join(root, 'missing.jpg')])).problems).toEqual([
      { path: path.join(root, 'missing.jpg'), reason: 'does not exist (or is a broken link)' },
    ])
  })
})
