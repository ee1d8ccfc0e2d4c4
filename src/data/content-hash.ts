import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export interface FileDigest {
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string
  bytes: number
}

/** SHA-256 of a file, streamed so a large file never sits in memory whole. */
export async function hashFile(filePath: string, signal?: AbortSignal): Promise<FileDigest> {
  const hash = createHash('sha256')
  let bytes = 0
  const stream = createReadStream(filePath, { highWaterMark: 256 * 1024, signal })
  for await (const chunk of stream) {
    const buf = chunk as Buffer
    bytes += buf.length
    hash.update(buf)
  }
  return { sha256: hash.digest('hex'), bytes }
}

/** SHA-256 of bytes already in memory (an upload, a test image). */
export function hashBuffer(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}
