import { describe, expect, test } from '../fixtures.js'
import * as data from '../../src/data/index.js'

describe('data errors', () => {
  test('every exported error class carries a distinct, listed SPS_DATA_ code', () => {
    const made: Record<string, Error & { code: string }> = {
      ImageDecodeError: new data.ImageDecodeError('bad'),
      ImageTooLargeError: new data.ImageTooLargeError(10, 5),
      UnsupportedImageFormatError: new data.UnsupportedImageFormatError('svg'),
      UnknownClassFolderError: new data.UnknownClassFolderError(['cats']),
      DatasetSourceError: new data.DatasetSourceError('missing'),
      EmptyDatasetError: new data.EmptyDatasetError('/x'),
      DatasetNotFoundError: new data.DatasetNotFoundError('v'),
      DatasetVersionAmbiguousError: new data.DatasetVersionAmbiguousError('ab', ['abc', 'abd']),
      ManifestInvalidError: new data.ManifestInvalidError('f', ['p']),
      BlobMissingError: new data.BlobMissingError('s', 'p'),
      SplitFileError: new data.SplitFileError('f', 'r'),
      SplitEntriesMissingError: new data.SplitEntriesMissingError('f', ['a']),
      InvalidSplitFractionsError: new data.InvalidSplitFractionsError('r'),
      InvalidAugmentParamsError: new data.InvalidAugmentParamsError('r'),
      OperationAbortedError: new data.OperationAbortedError(),
    }
    const exported = Object.entries(data)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name)
      .sort()
    expect(Object.keys(made).sort()).toEqual(exported)
    const codes = Object.values(made).map((e) => e.code)
    expect(codes.slice().sort()).toEqual([...data.DATA_ERROR_CODES].sort())
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^SPS_DATA_[A-Z_]+$/)
  })

  test('messages name what went wrong', () => {
    expect(new data.UnknownClassFolderError(['cats', 'dogs']).message).toBe(
      'unknown class folders: "cats", "dogs"',
    )
    expect(new data.ImageTooLargeError(60_000, 1000).message).toContain('60000 pixels')
  })
})
