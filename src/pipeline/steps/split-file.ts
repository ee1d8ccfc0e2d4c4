import { readFile, writeFile } from 'node:fs/promises'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

/** What the `split` step writes: dataset-relative paths per subset. */
export const StoredSplitSchema = Type.Object({
  train: Type.Array(Type.String()),
  val: Type.Array(Type.String()),
  test: Type.Array(Type.String()),
})
export type StoredSplit = Static<typeof StoredSplitSchema>

export async function writeStoredSplit(file: string, split: StoredSplit): Promise<void> {
  await writeFile(file, `${JSON.stringify(split)}\n`)
}

export async function readStoredSplit(file: string): Promise<StoredSplit> {
  return Value.Parse(StoredSplitSchema, JSON.parse(await readFile(file, 'utf8')))
}
