import { describe, expect, test } from '../fixtures.js'
import { ImageDecodeError, ImageTooLargeError } from '../../src/data/index.js'
import { toImageError } from '../../src/data/image-info.js'

describe('toImageError', () => {
  test('names a failed header read the same whether or not libvips kept its detail', () => {
    // Under concurrent decodes libvips's shared error buffer can be read empty (seen in CI) or hold repeats.
    const raced = toImageError(new Error('Input buffer has corrupt header: '), 1000)
    const full = toImageError(
      new Error(
        'Input buffer has corrupt header: VipsJpeg: premature end of JPEG image\nVipsJpeg: JPEG datastream contains no image',
      ),
      1000,
    )
    for (const err of [raced, full]) {
      expect(err).toBeInstanceOf(ImageDecodeError)
      expect(err.message).toBe('not a decodable image: truncated or corrupt header')
    }
  })

  test('keeps only the first line of a repeated decoder complaint, without the Input prefix', () => {
    const err = toImageError(
      new Error(
        'Input buffer is bad: VipsJpeg: premature end of JPEG image\nVipsJpeg: premature end of JPEG image',
      ),
      1000,
    )
    expect(err.message).toBe('not a decodable image: is bad: VipsJpeg: premature end of JPEG image')
  })

  test('maps the pixel limit and empty input to their own errors', () => {
    expect(toImageError(new Error('Input image exceeds pixel limit'), 1000)).toBeInstanceOf(
      ImageTooLargeError,
    )
    expect(toImageError(new Error('Input buffer is empty'), 1000).message).toBe(
      'not a decodable image: empty file',
    )
  })
})
