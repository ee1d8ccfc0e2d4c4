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
