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

export class UnsupportedImageFormatError extends Error {
  readonly code = 'SPS_DATA_IMAGE_FORMAT_UNSUPPORTED'
  constructor(readonly format: string) {
    super(`image format "${format}" is not accepted (JPEG, PNG, WebP, GIF, TIFF and AVIF are; HEIC is not)`)
  }
}

export class UnknownClassFolderError extends Error {
  readonly code = 'SPS_DATA_UNKNOWN_CLASS'
  constructor(readonly folders: string[]) {
    super(`unknown class folder${folders.length > 1 ? 's' : ''}: ${folders.map((f) => `"${f}"`).join(', ')}`)
  }
}

export class DatasetSourceError extends Error {
  readonly code = 'SPS_DATA_SOURCE_INVALID'
  constructor(reason: string, cause?: unknown) {
    super(`cannot import dataset: ${reason}`, { cause })
  }
}

export class EmptyDatasetError extends Error {
  readonly code = 'SPS_DATA_EMPTY'
  constructor(readonly sourceDir: string) {
    super(`no usable image found under ${sourceDir}`)
  }
}

export class DatasetNotFoundError extends Error {
  readonly code = 'SPS_DATA_DATASET_NOT_FOUND'
  constructor(readonly version: string) {
    super(`no dataset with version "${version}"`)
  }
}

export class DatasetVersionAmbiguousError extends Error {
  readonly code = 'SPS_DATA_VERSION_AMBIGUOUS'
  constructor(
    readonly prefix: string,
    readonly matches: string[],
  ) {
    super(`dataset version prefix "${prefix}" matches ${matches.length} versions; give more characters`)
  }
}

export class ManifestInvalidError extends Error {
  readonly code = 'SPS_DATA_MANIFEST_INVALID'
  constructor(
    readonly file: string,
    problems: string[],
  ) {
    super(`dataset manifest ${file} is invalid: ${problems.join('; ')}`)
  }
}

export class BlobMissingError extends Error {
  readonly code = 'SPS_DATA_BLOB_MISSING'
  constructor(
    readonly sha256: string,
    readonly entryPath: string,
  ) {
    super(`stored image ${sha256} for "${entryPath}" is missing from the object store`)
  }
}

export class SplitFileError extends Error {
  readonly code = 'SPS_DATA_SPLIT_FILE_INVALID'
  constructor(
    readonly file: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`split file ${file}: ${reason}`, { cause })
  }
}

export class SplitEntriesMissingError extends Error {
  readonly code = 'SPS_DATA_SPLIT_ENTRIES_MISSING'
  constructor(
    readonly file: string,
    readonly missing: string[],
  ) {
    const shown = missing.slice(0, 20).join(', ')
    const more = missing.length > 20 ? ` and ${missing.length - 20} more` : ''
    super(`split file ${file} lists ${missing.length} path(s) not in the dataset: ${shown}${more}`)
  }
}

export class InvalidSplitFractionsError extends Error {
  readonly code = 'SPS_DATA_SPLIT_FRACTIONS_INVALID'
  constructor(reason: string) {
    super(`invalid split fractions: ${reason}`)
  }
}

export class InvalidAugmentParamsError extends Error {
  readonly code = 'SPS_DATA_AUGMENT_PARAMS_INVALID'
  constructor(reason: string) {
    super(`invalid augmentation parameters: ${reason}`)
  }
}

export class OperationAbortedError extends Error {
  readonly code = 'SPS_DATA_ABORTED'
  constructor(cause?: unknown) {
    super('operation aborted', { cause })
  }
}

/** Every code this concern can throw; a test checks each error class uses one of these. */
export const DATA_ERROR_CODES = [
  'SPS_DATA_IMAGE_UNDECODABLE',
  'SPS_DATA_IMAGE_TOO_LARGE',
  'SPS_DATA_IMAGE_FORMAT_UNSUPPORTED',
  'SPS_DATA_UNKNOWN_CLASS',
  'SPS_DATA_SOURCE_INVALID',
  'SPS_DATA_EMPTY',
  'SPS_DATA_DATASET_NOT_FOUND',
  'SPS_DATA_VERSION_AMBIGUOUS',
  'SPS_DATA_MANIFEST_INVALID',
  'SPS_DATA_BLOB_MISSING',
  'SPS_DATA_SPLIT_FILE_INVALID',
  'SPS_DATA_SPLIT_ENTRIES_MISSING',
  'SPS_DATA_SPLIT_FRACTIONS_INVALID',
  'SPS_DATA_AUGMENT_PARAMS_INVALID',
  'SPS_DATA_ABORTED',
] as const
