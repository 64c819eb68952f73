/**
 * A small reader and writer of *stored* (uncompressed) zip archives, the container of PyTorch's
 * `.pt` files (PyTorch writes every record stored, with zip64 end records). Compressed entries
 * are refused; CRC-32 is checked on read.
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'

// -------------------------------------------------------------------------------------
// CRC-32
// -------------------------------------------------------------------------------------

const CRC_TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 (IEEE) of `data`. */
export const crc32 = (data: Uint8Array): number => {
  let c = 0xffffffff
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

const fail = (what: string): never => {
  throw new RuntimeError(`PytorchStreamReader failed reading zip archive: ${what}`)
}

const SIG_EOCD = 0x06054b50
const SIG_EOCD64 = 0x06064b50
const SIG_LOCATOR64 = 0x07064b50
const SIG_CENTRAL = 0x02014b50
const SIG_LOCAL = 0x04034b50

/** True when `bytes` starts like a zip archive. */
export const isZip = (bytes: Uint8Array): boolean =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/** The entries of a stored zip archive, by name (views into `bytes`, not copies). */
export const readZip = (bytes: Uint8Array): Map<string, Uint8Array> => {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const u64 = (o: number): number => Number(dv.getBigUint64(o, true))
  // the end-of-central-directory record: within the last 64 KiB + 22 bytes
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
    if (dv.getUint32(i, true) === SIG_EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) fail('failed finding central directory')
  let count = dv.getUint16(eocd + 10, true)
  let cdOffset = dv.getUint32(eocd + 16, true)
  if (eocd >= 20 && dv.getUint32(eocd - 20, true) === SIG_LOCATOR64) {
    const rec = u64(eocd - 12)
    if (rec + 56 > bytes.length || dv.getUint32(rec, true) !== SIG_EOCD64) fail('invalid zip64 end record')
    count = u64(rec + 32)
    cdOffset = u64(rec + 48)
  }
  const out = new Map<string, Uint8Array>()
  let p = cdOffset
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== SIG_CENTRAL) fail('invalid central directory')
    const method = dv.getUint16(p + 10, true)
    const crc = dv.getUint32(p + 16, true)
    let size = dv.getUint32(p + 24, true)
    const nameLen = dv.getUint16(p + 28, true)
    const extraLen = dv.getUint16(p + 30, true)
    const commentLen = dv.getUint16(p + 32, true)
    let local = dv.getUint32(p + 42, true)
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen))
    // zip64 extra field (id 1): the 64-bit sizes/offset replacing 0xffffffff entries, in order
    for (let e = p + 46 + nameLen; e < p + 46 + nameLen + extraLen;) {
      const id = dv.getUint16(e, true)
      const len = dv.getUint16(e + 2, true)
      if (id === 1) {
        let q = e + 4
        const usize = dv.getUint32(p + 24, true)
        const csize = dv.getUint32(p + 20, true)
        if (usize === 0xffffffff) ((size = u64(q)), (q += 8))
        if (csize === 0xffffffff) q += 8
        if (dv.getUint32(p + 42, true) === 0xffffffff) local = u64(q)
      }
      e += 4 + len
    }
    if (method !== 0)
      throw new RuntimeError(
        `torch.load: zip entry '${name}' is compressed (method ${method}); only stored entries are supported`,
      )
    if (local + 30 > bytes.length || dv.getUint32(local, true) !== SIG_LOCAL) fail(`invalid local header of '${name}'`)
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true)
    if (start + size > bytes.length) fail(`entry '${name}' is truncated`)
    const data = bytes.subarray(start, start + size)
    if (crc32(data) !== crc) fail(`crc32 mismatch of '${name}'`)
    out.set(name, data)
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}

// -------------------------------------------------------------------------------------
// writing
// -------------------------------------------------------------------------------------

/** Writes `entries` as a stored zip archive (records aligned to 64 bytes, as PyTorch aligns them). */
export const writeZip = (entries: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array => {
  const enc = new TextEncoder()
  const parts: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const [name, data] of entries) {
    const nameBytes = enc.encode(name)
    // padding in an extra field so the data starts on a 64-byte boundary
    const base = offset + 30 + nameBytes.length
    const pad = (64 - ((base + 4) % 64)) % 64
    const extraLen = 4 + pad
    const crc = crc32(data)
    const local = new Uint8Array(30 + nameBytes.length + extraLen)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, SIG_LOCAL, true)
    lv.setUint16(4, 20, true)
    lv.setUint32(14, crc, true)
    lv.setUint32(18, data.length, true)
    lv.setUint32(22, data.length, true)
    lv.setUint16(26, nameBytes.length, true)
    lv.setUint16(28, extraLen, true)
    local.set(nameBytes, 30)
    lv.setUint16(30 + nameBytes.length, 0x4246, true) // 'FB', PyTorch's padding field id
    lv.setUint16(32 + nameBytes.length, pad, true)
    const cd = new Uint8Array(46 + nameBytes.length)
    const cv = new DataView(cd.buffer)
    cv.setUint32(0, SIG_CENTRAL, true)
    cv.setUint16(4, 20, true)
    cv.setUint16(6, 20, true)
    cv.setUint32(16, crc, true)
    cv.setUint32(20, data.length, true)
    cv.setUint32(24, data.length, true)
    cv.setUint16(28, nameBytes.length, true)
    cv.setUint32(42, offset, true)
    cd.set(nameBytes, 46)
    parts.push(local, data)
    central.push(cd)
    offset += local.length + data.length
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, SIG_EOCD, true)
  ev.setUint16(8, entries.length, true)
  ev.setUint16(10, entries.length, true)
  ev.setUint32(12, cdSize, true)
  ev.setUint32(16, offset, true)
  const all = [...parts, ...central, end]
  const out = new Uint8Array(all.reduce((s, a) => s + a.length, 0))
  let o = 0
  for (const a of all) {
    out.set(a, o)
    o += a.length
  }
  return out
}
