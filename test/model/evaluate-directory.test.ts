import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { beforeAll, describe, expect, test } from '../fixtures.js'
import {
  evaluateDirectory,
  loadClassifier,
  saveModelArtifact,
  type Classifier,
} from '../../src/model/index.js'
import { makeImage, writeTree } from '../data/images.js'
import { buildChannelModel } from './tiny-model.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const LABELS = ['red', 'green', 'blue']

async function channelClassifier(dir: string): Promise<Classifier> {
  const model = buildChannelModel()
  await saveModelArtifact(dir, {
    model,
    labels: LABELS,
    preprocess: { size: 16, fit: 'stretch' },
    metadata: { name: 'channels', version: 1 },
  })
  model.dispose()
  return loadClassifier(dir)
}

async function photoFolder(root: string): Promise<void> {
  await writeTree(root, {
    'README.md': 'not an image',
    'red/a.png': await makeImage('png', { colour: '#e01010' }),
    'red/b.jpg': await makeImage('jpeg', { colour: '#c02020' }),
    'red/nested/c.webp': await makeImage('webp', { colour: '#f03030' }),
    'green/d.png': await makeImage('png', { colour: '#10d010' }),
    'green/e.png': await makeImage('png', { colour: '#20b030' }),
    'blue/f.png': await makeImage('png', { colour: '#1010e0' }),
    // mislabelled on purpose: a red photo in the blue folder
    'blue/g.png': await makeImage('png', { colour: '#e01010' }),
  })
}

describe('evaluateDirectory', () => {
  test('scores every image of a class-per-folder directory and writes metrics and a confusion matrix', async ({
    tmpDir,
    log,
  }) => {
    const classifier = await channelClassifier(path.join(tmpDir, 'model'))
    const data = path.join(tmpDir, 'photos')
    await photoFolder(data)
    const outDir = path.join(tmpDir, 'out')
    const result = await evaluateDirectory(classifier, { dataDir: data, outDir, log, batchSize: 3 })
    expect(result.model).toBe('channels@1')
    expect(result.n).toBe(7)
    expect(result.labels).toEqual(LABELS)
    expect(result.confusion).toEqual([
      [3, 0, 0],
      [0, 2, 0],
      [1, 0, 1],
    ])
    expect(result.accuracy).toBeCloseTo(6 / 7, 12)
    expect(result.perClass.blue).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 })
    expect(result.perClass.red!.precision).toBeCloseTo(0.75, 12)
    const written: unknown = JSON.parse(await readFile(path.join(outDir, 'metrics.json'), 'utf8'))
    expect(written).toEqual(JSON.parse(JSON.stringify(result)))
    expect((await sharp(path.join(outDir, 'confusion-matrix.png')).metadata()).format).toBe('png')
    await classifier.dispose()
  })

  test('evaluates only the chosen subset of a split file', async ({ tmpDir, log }) => {
    const classifier = await channelClassifier(path.join(tmpDir, 'model'))
    const data = path.join(tmpDir, 'photos')
    await photoFolder(data)
    const splitFile = path.join(tmpDir, 'split.json')
    await writeFile(
      splitFile,
      JSON.stringify({
        train: ['red/a.png', 'green/d.png'],
        test: ['./red/b.jpg', 'blue/g.png', 'blue/f.png'],
      }),
    )
    const result = await evaluateDirectory(classifier, { dataDir: data, splitFile, subset: 'test', log })
    expect(result.n).toBe(3)
    expect(result.confusion).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [1, 0, 1],
    ])
    // green is neither true nor predicted: it stays out of the macro average
    expect(result.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12)
    await expect(
      evaluateDirectory(classifier, { dataDir: data, splitFile, subset: 'val', log }),
    ).rejects.toMatchObject({
      code: 'SPS_DATA_SPLIT_FILE_INVALID',
    })
    await classifier.dispose()
  })

  test('names every class folder the model does not know', async ({ tmpDir, log }) => {
    const classifier = await channelClassifier(path.join(tmpDir, 'model'))
    const data = path.join(tmpDir, 'photos')
    await writeTree(data, {
      'red/a.png': await makeImage('png', { colour: '#e01010' }),
      'purple/b.png': await makeImage('png', { colour: '#a010a0' }),
      'cyan/c.png': await makeImage('png', { colour: '#10a0a0' }),
    })
    await expect(evaluateDirectory(classifier, { dataDir: data, log })).rejects.toMatchObject({
      code: 'SPS_MODEL_UNKNOWN_CLASS',
      message: expect.stringMatching(/cyan, purple/),
    })
    await classifier.dispose()
  })

  test('reports an undecodable file by name', async ({ tmpDir, log }) => {
    const classifier = await channelClassifier(path.join(tmpDir, 'model'))
    const data = path.join(tmpDir, 'photos')
    await writeTree(data, { 'red/a.png': await makeImage('png'), 'red/broken.jpg': 'not a jpeg' })
    await expect(evaluateDirectory(classifier, { dataDir: data, log })).rejects.toMatchObject({
      code: 'SPS_MODEL_EVALUATION_SOURCE_INVALID',
      message: expect.stringMatching(/red\/broken\.jpg/),
    })
    await classifier.dispose()
  })
})
