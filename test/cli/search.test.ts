/** `constella search` end to end: the real CLI (bin/constella.mjs) over a small real library. */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Library } from '../../src/main/engine/library/library.js'
import { buildTestLibrary, largestBox, type TestLibrary } from '../main/engine/search/helpers.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
let T: TestLibrary

/** Runs the CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
function constella(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

beforeAll(async () => {
  T = await buildTestLibrary(16, 1)
  await T.lib.close() // the CLI process opens the library itself
})
afterAll(async () => {
  await T?.cleanup()
})

describe('constella search', () => {
  it('prints a ranked table with shared labels and matched object pairs', async () => {
    const dogPhoto = T.library.find((i) => i.labels.includes(T.classes.indexOf('dog')) && i.labels.includes(0))!
    const r = await constella('search', '--id', String(T.photoId(dogPhoto.file)), '--k', '5', '--library', T.libraryDir)
    expect(r.stderr).not.toMatch(/constella search:/)
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^query: .* library photo \d+; \d+ objects$/)
    const header = lines.findIndex((l) => /^#\s+similarity\s+photo\s+shared labels\s+matched objects$/.test(l))
    expect(header).toBeGreaterThan(0)
    const rows = lines.slice(header + 2)
    expect(rows).toHaveLength(5)
    rows.forEach((row, i) => expect(row).toMatch(new RegExp(`^${i + 1}\\s+-?\\d\\.\\d+\\s+\\S+\\.jpg\\s`)))
    expect(r.stdout).toMatch(/[a-z ]+↔[a-z ]+ \(\d\.\d\d\)/)
    expect(lines[header - 1]).toMatch(/^similarity = cosine of the photo embeddings \(1 = identical, 0 = unrelated\); .*\(pair cost = 1 - cosine of the two objects, lower = closer\)$/)
  })

  it('prints valid JSON for a photo file with label filters, and for boxes', async () => {
    const photo = path.join(T.photosDir, T.library[0].file)
    const r = await constella('search', photo, '--k', '4', '--with', 'person', '--without', 'dog', '--json', '--library', T.libraryDir)
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.query).toMatchObject({ mode: 'photo', origin: 'library', path: photo, spec: { kind: 'photo-file' } })
    expect(out.query.objects[0]).not.toHaveProperty('embedding')
    expect(out.results.length).toBeGreaterThan(0)
    for (const res of out.results) {
      expect(res.labels).toContain('person')
      expect(res.labels).not.toContain('dog')
      expect(res.explanation).toHaveProperty('sharedLabels')
      expect(Array.isArray(res.explanation.matches)).toBe(true)
    }
    const withBoth = T.library.find((i) => i.labels.includes(T.classes.indexOf('dog')) && i.labels.includes(0))!
    const boxes = [16, 0].map((c) => largestBox(withBoth, c)).map((b) => b.join(','))
    const b = await constella('search', '--box', boxes[0], '--box', boxes[1], path.join(T.photosDir, withBoth.file), '--k', '3', '--json', '--library', T.libraryDir)
    expect(b.code).toBe(0)
    const boxOut = JSON.parse(b.stdout)
    expect(boxOut.query.mode).toBe('objects')
    expect(boxOut.query.objects.map((o: { class: string }) => o.class)).toEqual(['dog', 'person'])
    expect(boxOut.results).toHaveLength(3)
    expect(boxOut.results[0].objectHits).toHaveLength(2)

    // As text: what each box was taken to be, and what the numbers mean.
    const t = await constella('search', '--box', boxes[0], path.join(T.photosDir, withBoth.file), '--k', '3', '--library', T.libraryDir)
    expect(t.code, t.stderr).toBe(0)
    expect(t.stdout).toMatch(/^your box was matched to the stored 'dog' detection \(IoU (0\.\d\d|1\.00)\) and searches with its stored embedding$/m)
    expect(t.stdout).toMatch(/^similarity = per query object, the cosine to its most similar object in the photo \(1 = identical\), averaged; .*pair cost = 1 - cosine of the two objects, lower = closer/m)
  })

  it('explains what is wrong with a search that cannot run', async () => {
    const lib = ['--library', T.libraryDir]
    const unknown = await constella('search', '--id', '1', '--with', 'dogg', ...lib)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown class "dogg" \(did you mean: dog/)
    const missing = await constella('search', '--id', '9999', ...lib)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/photo 9999 is not in the library/)
    const badBox = await constella('search', '--box', '1,2,3', '--id', '1', ...lib)
    expect(badBox.code).toBe(2)
    expect(badBox.stderr).toMatch(/bad --box "1,2,3": expected four numbers x1,y1,x2,y2/)
    const twoSources = await constella('search', '--id', '1', '--object', '2', ...lib)
    expect(twoSources.code).toBe(2)
    const noLibrary = await constella('search', '--id', '1', '--library', path.join(T.root, 'nowhere'))
    expect(noLibrary.code).toBe(1)
    expect(noLibrary.stderr).toMatch(/no library at .*nowhere: run `constella index <folder> --library/)
    const emptyDir = path.join(T.root, 'empty')
    await (await Library.open({ dir: emptyDir })).close()
    const empty = await constella('search', '--id', '1', '--library', emptyDir)
    expect(empty.code).toBe(1)
    expect(empty.stderr).toMatch(/has no indexed photos: run `constella index <folder>` first/)
  })
})
