import type { JsonValue } from '../step-type.js'
import { readStoredSplit } from './split-file.js'
import { stringInput } from './step-inputs.js'
import { readTensorStore, selectImages } from './tensor-store.js'

/** The `tensors` and `split` inputs every training and scoring step reads, with the store's images per list. */
export async function readSplitImages(inputs: Readonly<Record<string, JsonValue>>) {
  const store = await readTensorStore(stringInput(inputs, 'tensors'))
  const split = await readStoredSplit(stringInput(inputs, 'split'))
  return {
    store,
    split,
    train: selectImages(store, split.train),
    val: selectImages(store, split.val),
  }
}
