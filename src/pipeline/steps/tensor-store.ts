import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { BALL_LABELS, CHANNELS, type DatasetEntry, type PreprocessSpec } from '../../data/index.js'
import type { LabelledImages } from '../../model/index.js'

const INDEX_FILE = 'index.json'
const PIXELS_FILE = 'pixels.u8'

const TensorIndexSchema = Type.Object({
  size: Type.Integer({ minimum: 1 }),
  fit: Type.Union([Type.Literal('stretch'), Type.Literal('cover')]),
  channels: Type.Integer({ minimum: 1 }),
  /** Row i of pixels.u8 holds entries[i]. */
  entries: Type.Array(Type.Object({ path: Type.String(), label: Type.String(), sha256: Type.String() })),
})
type TensorIndex = Static<typeof TensorIndexSchema>

/** Preprocessed dataset images, decoded once by `prep`: one byte per channel value, rows in index order. */
export interface TensorStore {
  spec: PreprocessSpec
  entries: TensorIndex['entries']
  pixels: Uint8Array
  rowLength: number
}

/**
 * Writes images from `preprocessImage` as bytes. They are k/255 for integer k (sharp's 8-bit output), so
 * `round(v * 255)` stores them exactly and `byte / 255` gives back the very same Float32 values.
 */
export async function writeTensorStore(
  dir: string,
  spec: PreprocessSpec,
  entries: readonly DatasetEntry[],
  images: readonly Float32Array[],
): Promise<void> {
  const rowLength = spec.size * spec.size * CHANNELS
  const pixels = new Uint8Array(rowLength * images.length)
  images.forEach((image, row) => {
    for (let i = 0; i < rowLength; i++) pixels[row * rowLength + i] = Math.round((image[i] ?? 0) * 255)
  })
  const index: TensorIndex = {
    size: spec.size,
    fit: spec.fit,
    channels: CHANNELS,
    entries: entries.map((e) => ({ path: e.path, label: e.label, sha256: e.sha256 })),
  }
  await writeFile(path.join(dir, PIXELS_FILE), pixels)
  await writeFile(path.join(dir, INDEX_FILE), JSON.stringify(index))
}

export async function readTensorStore(dir: string): Promise<TensorStore> {
  const index = Value.Parse(TensorIndexSchema, JSON.parse(await readFile(path.join(dir, INDEX_FILE), 'utf8')))
  const buffer = await readFile(path.join(dir, PIXELS_FILE))
  const pixels = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  const rowLength = index.size * index.size * index.channels
  if (pixels.length !== rowLength * index.entries.length) {
    throw new Error(
      `${dir}: ${PIXELS_FILE} holds ${pixels.length} bytes, expected ${rowLength * index.entries.length}`,
    )
  }
  return { spec: { size: index.size, fit: index.fit }, entries: index.entries, pixels, rowLength }
}

/** The images of the given dataset paths, as Float32 in [0, 1], labelled by their BALL_LABELS index. */
export function selectImages(store: TensorStore, paths: readonly string[]): LabelledImages {
  const rowOf = new Map(store.entries.map((e, i) => [e.path, i]))
  const images: Float32Array[] = []
  const labels: number[] = []
  for (const p of paths) {
    const row = rowOf.get(p)
    const entry = row === undefined ? undefined : store.entries[row]
    if (row === undefined || !entry) throw new Error(`image "${p}" is not among the prepared images`)
    const image = new Float32Array(store.rowLength)
    const offset = row * store.rowLength
    for (let i = 0; i < store.rowLength; i++) image[i] = (store.pixels[offset + i] ?? 0) / 255
    images.push(image)
    labels.push(labelIndex(entry.label))
  }
  return { images, labels }
}

export function labelIndex(label: string): number {
  const index = (BALL_LABELS as readonly string[]).indexOf(label)
  if (index === -1) throw new Error(`unknown class "${label}"`)
  return index
}
