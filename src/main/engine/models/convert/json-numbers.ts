/**
 * A byte-level reader of JSON number lists (the rows of the 307 MB wink GloVe file): faster than
 * JSON.parse per row and exact, since each value is one correctly rounded division or product.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`))

/** JSON whitespace (space, LF, CR, tab). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

/** Parses the comma-separated JSON numbers in buf[start, end) into `out`; returns how many. */
export function parseNumbers(buf: Buffer, start: number, end: number, out: Float64Array, word: string): number {
  const malformed = (from: number) => {
    const comma = buf.indexOf(44, from)
    const token = buf.toString('latin1', from, comma < 0 || comma > end ? end : comma).trim()
    return new Error(`malformed number "${token}" in the vector of ${JSON.stringify(word)}`)
  }
  let i = start
  let n = 0
  while (i < end) {
    while (i < end && isSpace(buf[i])) i++
    if (i >= end) break
    const from = i
    const neg = buf[i] === 45
    if (neg) i++
    let m = 0
    let digits = 0
    let frac = 0
    let c = buf[i]
    while (c >= 48 && c <= 57) { m = m * 10 + c - 48; digits++; c = buf[++i] }
    if (c === 46) {
      c = buf[++i]
      while (c >= 48 && c <= 57) { m = m * 10 + c - 48; digits++; frac++; c = buf[++i] }
    }
    let e = 0
    if (c === 101 || c === 69) {
      c = buf[++i]
      const eneg = c === 45
      if (c === 45 || c === 43) c = buf[++i]
      const e0 = i
      while (c >= 48 && c <= 57) { e = e * 10 + c - 48; c = buf[++i] }
      if (i === e0) throw malformed(from)
      if (eneg) e = -e
    }
    if (digits === 0 || i > end) throw malformed(from)
    // m and 10^|p| are exact doubles, so one division or product is correctly rounded.
    const p = e - frac
    const v = digits <= 15 && p >= -22 && p <= 22 ? (p < 0 ? m / POW10[-p] : m * POW10[p]) : Number(buf.toString('latin1', neg ? from + 1 : from, i))
    if (n >= out.length) throw new Error(`the vector of ${JSON.stringify(word)} has more than ${out.length} values`)
    out[n++] = neg ? -v : v
    while (i < end && isSpace(buf[i])) i++
    if (i < end && buf[i++] !== 44) throw malformed(from)
  }
  return n
}
