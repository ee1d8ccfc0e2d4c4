import { ModelInputError } from './errors.js'

/** Preprocessed images back to back in one buffer, as both runtimes take a batch; each must be `pixels` long. */
export function packBatch(batch: readonly Float32Array[], pixels: number): Float32Array {
  const flat = new Float32Array(batch.length * pixels)
  batch.forEach((image, i) => {
    if (image.length !== pixels) {
      throw new ModelInputError(`image ${i} has ${image.length} values, expected ${pixels}`)
    }
    flat.set(image, i * pixels)
  })
  return flat
}
