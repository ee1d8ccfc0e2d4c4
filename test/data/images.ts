import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'

/** A small solid-colour image in the given format, with a pattern so that different colours differ in bytes. */
export async function makeImage(
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif',
  options: { width?: number; height?: number; colour?: string } = {},
): Promise<Buffer> {
  const width = options.width ?? 24
  const height = options.height ?? 16
  const image = sharp({ create: { width, height, channels: 3, background: options.colour ?? '#3366cc' } })
  return image.toFormat(format).toBuffer()
}

/** Writes `files` (relative path -> bytes) under `root`, creating folders. */
export async function writeTree(root: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    const target = path.join(root, ...rel.split('/'))
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, data)
  }
}
