import { mkdir, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, test } from '../fixtures.js'
import {
  DEFAULT_PIPELINE_FILE,
  defaultStepTypes,
  loadPipeline,
  runPipeline,
} from '../../src/pipeline/index.js'
import { PipelineOverrideError } from '../../src/pipeline/errors.js'
import { TEST_VIEW_PRESETS } from '../../src/model/index.js'
import { getModel } from '../../src/registry/index.js'
import { saveTinyBackbone } from '../model/transfer/tiny-backbone.js'

const FROM_SCRATCH = path.join(path.dirname(DEFAULT_PIPELINE_FILE), 'from-scratch.yaml')

/** 12 tiny photos of 3 classes, each class its own colour with a little variation. */
async function makeDataset(dir: string): Promise<string> {
  const colours = { basketball: [220, 110, 30], volleyball: [240, 240, 240], tennis_ball: [190, 220, 40] }
  for (const [label, [r, g, b]] of Object.entries(colours)) {
    await mkdir(path.join(dir, label), { recursive: true })
    for (let i = 0; i < 4; i++) {
      await sharp({
        create: {
          width: 20,
          height: 20,
          channels: 3,
          background: { r: (r ?? 0) - i * 12, g: g ?? 0, b: b ?? 0 },
        },
      })
        .png()
        .toFile(path.join(dir, label, `${label}_${i}.png`))
    }
  }
  return dir
}

describe('the sports-ball pipelines', () => {
  const it = test

  it('trains a CNN from scratch, evaluates and registers it, and a second run is fully cached', async ({
    database,
    tmpDir,
    log,
  }) => {
    const data = await makeDataset(path.join(tmpDir, 'photos'))
    const home = path.join(tmpDir, 'home')
    const load = () =>
      loadPipeline(FROM_SCRATCH, {
        stepTypes: defaultStepTypes(),
        overrides: [
          `data=${data}`,
          'architecture=seed-cnn',
          'imageSize=16',
          'epochs=1',
          'train.batchSize=4',
          'testViews=centre-flip',
          'valFraction=0.25',
          'testFraction=0.25',
          'promote=staging',
        ],
      })
    const services = { home, db: database.handle.db, log, codeVersion: 'test-sha' }

    const first = await runPipeline(await load(), services)
    expect(first.error).toBeUndefined()
    expect(first.steps.map((s) => [s.name, s.status])).toEqual([
      ['prep', 'succeeded'],
      ['split', 'succeeded'],
      ['train', 'succeeded'],
      ['evaluate', 'succeeded'],
      ['quantize', 'succeeded'],
      ['register', 'succeeded'],
    ])
    expect(first.metrics).toMatchObject({ n: 3, subset: 'test', testViews: 'centre-flip' })
    // The int8 twin is scored on the same photos, with its own temperature fitted on validation.
    const int8 = (first.metrics as { int8: Record<string, unknown> }).int8
    expect(int8).toMatchObject({ accuracy: expect.any(Number), temperature: expect.any(Number) })
    expect(int8.agreementWithFp32).toBeGreaterThanOrEqual(0)
    expect(int8.agreementWithFp32).toBeLessThanOrEqual(1)
    expect((first.metrics as { accuracyFullView: unknown }).accuracyFullView).toEqual(expect.any(Number))

    const model = await getModel(database.handle.db, 'sports-ball-cnn@staging')
    expect(model.ref).toBe('sports-ball-cnn@1')
    expect(model.row).toMatchObject({
      architecture: 'seed-cnn',
      codeVersion: 'test-sha',
      datasetVersion: first.steps[0]?.outputs.dataset,
      split: { kind: 'stratified', counts: { train: 6, val: 3, test: 3 } },
      params: { epochs: 1, imageSize: 16, architecture: 'seed-cnn' },
      metrics: { n: 3 },
    })
    expect(model.row.trainingSeconds).toBeGreaterThan(0)
    expect((await readdir(model.artifactPath)).sort()).toEqual(
      expect.arrayContaining([
        'calibration.json',
        'confusion-matrix.png',
        'labels.json',
        'learning-curves.png',
        'metrics.json',
        'model.int8.onnx',
        'model.json',
        'model.onnx',
        'preprocess.json',
        'views.json',
        'weights.bin',
      ]),
    )
    // The pipeline's default test-time views travel with the model, so serving answers as evaluation scored.
    expect(JSON.parse(await readFile(path.join(model.artifactPath, 'views.json'), 'utf8'))).toEqual(
      TEST_VIEW_PRESETS['centre-flip'],
    )
    // Every preset is calibrated on validation, so a server can answer with fewer views without a retrain.
    const calibration = JSON.parse(await readFile(path.join(model.artifactPath, 'calibration.json'), 'utf8'))
    expect(Object.keys(calibration.byTestViews).sort()).toEqual(Object.keys(TEST_VIEW_PRESETS).sort())
    expect(calibration.temperature).toBe(calibration.byTestViews['centre-flip'])
    expect(Object.keys(calibration.int8.byTestViews).sort()).toEqual(Object.keys(TEST_VIEW_PRESETS).sort())
    expect(calibration.int8.temperature).toBe(calibration.int8.byTestViews['centre-flip'])
    expect(
      Object.keys((first.metrics as { validationByTestViews: object }).validationByTestViews).sort(),
    ).toEqual(Object.keys(TEST_VIEW_PRESETS).sort())
    expect(JSON.parse(await readFile(path.join(model.artifactPath, 'preprocess.json'), 'utf8'))).toEqual({
      size: 16,
      fit: 'stretch',
    })

    const second = await runPipeline(await load(), services)
    expect(second.steps.map((s) => s.status)).toEqual([
      'cached',
      'cached',
      'cached',
      'cached',
      'cached',
      'cached',
    ])
    expect(second.metrics).toEqual(first.metrics)
    expect((await getModel(database.handle.db, 'sports-ball-cnn')).ref).toBe('sports-ball-cnn@1')
  })

  it('passes the architecture its own params and trains with strong augmentation, mixup and warm-up', async ({
    database,
    tmpDir,
    log,
  }) => {
    const data = await makeDataset(path.join(tmpDir, 'photos'))
    const load = (architectureParams: string) =>
      loadPipeline(FROM_SCRATCH, {
        stepTypes: defaultStepTypes(),
        overrides: [
          `data=${data}`,
          'architecture=sep-cnn',
          `train.architectureParams=${architectureParams}`,
          'augmentation=strong',
          'train.mixupAlpha=0.2',
          'train.warmupEpochs=1',
          'train.lrSchedule=cosine',
          'imageSize=16',
          'epochs=2',
          'train.batchSize=4',
          'valFraction=0.25',
          'testFraction=0.25',
          'promote=staging',
        ],
      })
    const services = { home: path.join(tmpDir, 'home'), db: database.handle.db, log, codeVersion: 'test-sha' }

    const refused = await runPipeline(await load('{stemStride: 5}'), services)
    expect(refused.error?.message).toMatch(/stemStride/)

    const run = await runPipeline(await load('{widths: [8, 12], stemStride: 1}'), services)
    expect(run.error).toBeUndefined()
    const model = await getModel(database.handle.db, 'sports-ball-cnn@staging')
    expect(model.row.params).toMatchObject({
      architectureParams: { widths: [8, 12], stemStride: 1 },
      augmentation: 'strong',
      mixupAlpha: 0.2,
      warmupEpochs: 1,
    })
    const modelJson = JSON.parse(await readFile(path.join(model.artifactPath, 'model.json'), 'utf8')) as {
      modelTopology: { config: { layers: Array<{ class_name: string; config: { filters?: number } }> } }
    }
    const separableFilters = modelJson.modelTopology.config.layers
      .filter((l) => l.class_name === 'SeparableConv2D')
      .map((l) => l.config.filters)
    // two separable convs per stage, one stage per width given
    expect(separableFilters).toEqual([8, 8, 12, 12])
  })

  it('trains by transfer from a backbone named in the params: head on cached features, fine-tuned tail, registered', async ({
    database,
    tmpDir,
    log,
  }) => {
    const data = await makeDataset(path.join(tmpDir, 'photos'))
    const backbone = path.join(tmpDir, 'backbone')
    await saveTinyBackbone(backbone)
    const overrides = [
      `data=${data}`,
      `backbone=${backbone}`,
      'featureNodes=block_b',
      'train.fineTuneFrom=pool_a',
      'fineTuneEpochs=1',
      'views=2',
      'imageSize=16',
      'epochs=3',
      'train.batchSize=4',
      'valFraction=0.25',
      'testFraction=0.25',
      'promote=staging',
    ]
    const load = (extra: string[] = []) =>
      loadPipeline(DEFAULT_PIPELINE_FILE, {
        stepTypes: defaultStepTypes(),
        overrides: [...overrides, ...extra],
      })
    // A CNN's own options are not a transfer step's: refused before anything runs.
    await expect(load(['train.architectureParams={widths: [8]}'])).rejects.toThrow(PipelineOverrideError)
    await expect(load(['train.architectureParams={widths: [8]}'])).rejects.toThrow(
      /step "train" \(transfer\) has no param "architectureParams"/,
    )
    const services = { home: path.join(tmpDir, 'home'), db: database.handle.db, log, codeVersion: 'test-sha' }
    const run = await runPipeline(await load(), services)
    expect(run.error).toBeUndefined()
    const model = await getModel(database.handle.db, 'sports-ball-cnn@staging')
    expect(model.row).toMatchObject({
      architecture: 'transfer',
      params: {
        backbone,
        featureNodes: 'block_b',
        fineTuneFrom: 'pool_a',
        fineTuneEpochs: 1,
        // left unset in the pipeline file, so the transfer step's own defaults hold
        head: 'linear',
        dropout: 0.3,
        views: 2,
        imageSize: 16,
      },
      metrics: { n: 3 },
    })
    const modelJson = JSON.parse(await readFile(path.join(model.artifactPath, 'model.json'), 'utf8')) as {
      modelTopology: { config: { layers: Array<{ name: string }> } }
    }
    const layers = modelJson.modelTopology.config.layers.map((l) => l.name)
    // one flat graph: the backbone's layers up to the features, then the head
    expect(layers).toEqual(expect.arrayContaining(['block_a', 'block_b', 'head_norm', 'head_classifier']))
    expect(layers).not.toContain('own_head')
    expect(layers).not.toContain('tail_input')
    expect(JSON.parse(await readFile(path.join(model.artifactPath, 'preprocess.json'), 'utf8'))).toEqual({
      size: 16,
      fit: 'stretch',
      inputScaling: { kind: 'unit' },
    })
  })
})
