/**
 * Recognises the raster formats the service accepts from their first bytes, before sharp sees them: text,
 * SVG (an XML document that could reference external files) or any other payload is refused as "not an image"
 * however it was labelled, while a recognised but corrupt image is left for the decoder to reject.
 */
export function sniffImageFormat(
  bytes: Buffer,
): 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heif' | undefined {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1')
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png'
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif'
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp'
  if (bytes.length >= 4 && (ascii(0, 4) === 'II*\x00' || ascii(0, 4) === 'MM\x00*')) return 'tiff'
  if (
    bytes.length >= 12 &&
    ascii(4, 8) === 'ftyp' &&
    /^(avif|avis|heic|heix|mif1|msf1|hevc)$/.test(ascii(8, 12))
  ) {
    return 'heif'
  }
  return undefined
}

/** ISOBMFF brands of HEVC-coded HEIF (HEIC: the iPhone's default photo format). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'])

/**
 * True for a HEIC photo: its `ftyp` box names an HEVC brand, as major brand or (after a generic `mif1`/`msf1`)
 * among the compatible ones, and no AVIF brand. This sharp build has no HEVC decoder, so these are refused by
 * name before decoding, instead of failing with the decoder's "bad seek".
 */
export function isHeic(bytes: Buffer): boolean {
  if (bytes.length < 16 || bytes.subarray(4, 8).toString('latin1') !== 'ftyp') return false
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 256)
  const brands: string[] = [bytes.subarray(8, 12).toString('latin1')]
  // After the major brand comes a 4-byte minor version, then the compatible brands.
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) {
    brands.push(bytes.subarray(offset, offset + 4).toString('latin1'))
  }
  if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return false
  return brands.some((brand) => HEIC_BRANDS.has(brand))
}
