import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from '../fixtures.js'
import { hashBuffer, hashFile } from '../../src/data/index.js'

describe('hashFile', () => {
  test('streams a file larger than one read chunk to the same digest as hashing it whole', async ({
    tmpDir,
  }) => {
    const data = Buffer.alloc(700 * 1024)
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff
    const file = path.join(tmpDir, 'big.bin')
    await writeFile(file, data)
    const digest = await hashFile(file)
    expect(digest).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length })
    expect(hashBuffer(data)).toBe(digest.sha256)
  })

  test('hashes an empty file to the SHA-256 of nothing', async ({ tmpDir }) => {
    const file = path.join(tmpDir, 'empty')
    await writeFile(file, '')
    expect(await hashFile(file)).toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      bytes: 0,
    })
  })
})
