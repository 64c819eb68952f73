/** Float arrays written by the fixture scripts as base64 of their little-endian bytes (NumPy `<f4` / `<f8`). */
export const floatsFromBase64 = (b64: string, dtype: 'float32' | 'float64'): Float32Array | Float64Array => {
  const bytes = Buffer.from(b64, 'base64')
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
  return dtype === 'float32' ? new Float32Array(ab) : new Float64Array(ab)
}
