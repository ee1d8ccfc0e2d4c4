export class ImageDecodeError extends Error {
  readonly code = 'SPS_DATA_IMAGE_UNDECODABLE'
  constructor(reason: string, cause?: unknown) {
    super(`not a decodable image: ${reason}`, { cause })
  }
}

export class ImageTooLargeError extends Error {
  readonly code = 'SPS_DATA_IMAGE_TOO_LARGE'
  constructor(
    readonly pixels: number,
    readonly maxPixels: number,
  ) {
    super(`image has ${pixels} pixels, more than the limit of ${maxPixels}`)
  }
}
