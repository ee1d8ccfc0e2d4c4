import { describe, expect, test } from '../fixtures.js'
import * as data from '../../src/data/index.js'

describe('data errors', () => {
  test('messages name what went wrong', () => {
    expect(new data.UnknownClassFolderError(['cats', 'dogs']).message).toBe(
      'unknown class folders: "cats", "dogs"',
    )
    expect(new data.ImageTooLargeError(60_000, 1000).message).toContain('60000 pixels')
  })
})
