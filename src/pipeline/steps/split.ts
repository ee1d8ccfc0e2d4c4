import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Type } from 'typebox'
import { loadManifest, splitFromFile, splitStratified } from '../../data/index.js'
import { defineStep, type JsonValue } from '../step-type.js'
import { stringInput } from './step-inputs.js'
import { writeStoredSplit } from './split-file.js'

/** `split: stratified` splits by fractions; any other value is a split file path. */
export const STRATIFIED = 'stratified'

export const splitStep = defineStep({
  name: 'split',
  version: '1',
  description:
    'train/validation/test split: stratified by fractions, or a split file with val carved from train',
  inputs: { dataset: { kind: 'dataset' } },
  outputs: {
    split: { kind: 'split', isPath: true, description: 'split.json: dataset paths per subset' },
    summary: { kind: 'split-summary', description: 'how the split was made and subset sizes' },
  },
  params: Type.Object(
    {
      split: Type.String({ minLength: 1, default: STRATIFIED }),
      valFraction: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.1 }),
      testFraction: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.15 }),
      seed: Type.Integer({ default: 42 }),
    },
    { additionalProperties: false },
  ),
  async fingerprint(params) {
    if (params.split === STRATIFIED) return null
    const text = await readFile(path.resolve(params.split))
    return createHash('sha256').update(text).digest('hex')
  },
  async run(ctx) {
    const manifest = await loadManifest(ctx.home, stringInput(ctx.inputs, 'dataset'))
    const { split: source, valFraction, testFraction, seed } = ctx.params
    const isStratified = source === STRATIFIED
    const split = isStratified
      ? splitStratified(manifest, {
          train: 1 - valFraction - testFraction,
          val: valFraction,
          test: testFraction,
          seed,
        })
      : await splitFromFile(manifest, path.resolve(source), { valFraction, seed })
    await writeStoredSplit(path.join(ctx.outDir, 'split.json'), {
      train: split.train.map((e) => e.path),
      val: split.val.map((e) => e.path),
      test: split.test.map((e) => e.path),
    })
    const counts = { train: split.train.length, val: split.val.length, test: split.test.length }
    ctx.progress(`train ${counts.train}, validation ${counts.val}, test ${counts.test}`)
    const summary: Record<string, JsonValue> = isStratified
      ? { kind: STRATIFIED, valFraction, testFraction, seed, counts }
      : {
          kind: 'file',
          file: path.basename(source),
          sha256: createHash('sha256')
            .update(await readFile(path.resolve(source)))
            .digest('hex'),
          valFraction,
          seed,
          counts,
        }
    return { split: 'split.json', summary }
  },
})
