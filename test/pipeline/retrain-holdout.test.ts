import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from '../fixtures.js'
import {
  createSeededRandom,
  hashBuffer,
  importDataset,
  keepImage,
  loadManifest,
  type ExportedFeedback,
} from '../../src/data/index.js'
import {
  correctPrediction,
  insertPrediction,
  listGateDecisions,
  selectPipelineRun,
} from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { initBackend, saveModelArtifact } from '../../src/model/index.js'
import { retrainWithGate, type RetrainResult } from '../../src/pipeline/index.js'
import { holdOutFeedback } from '../../src/pipeline/retrain/hold-out-feedback.js'
import { getModel, promoteAlias, registerModel } from '../../src/registry/index.js'
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js'
import { buildChannelModel } from '../model/tiny-model.js'

const LABELS = ['basketball', 'golf_ball', 'tennis_ball'] as const
const SIZE = 8

/** A photo whose dominant colour channel is its class's (red, green, blue), with seeded noise so each differs. */
async function channelPhoto(label: (typeof LABELS)[number], seed: number): Promise<Buffer> {
  const random = createSeededRandom(seed)
  const channel = LABELS.indexOf(label)
  const pixels = Buffer.alloc(12 * 12 * 3)
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.round((i % 3 === channel ? 170 : 40) + random() * 60)
  }
  return sharp(pixels, { raw: { width: 12, height: 12, channels: 3 } })
    .png()
    .toBuffer()
}

describe('holdOutFeedback', () => {
  const scans = (counts: Record<string, number>): ExportedFeedback[] =>
    Object.entries(counts).flatMap(([label, n]) =>
      Array.from({ length: n }, (_, i) => ({
        path: `${label}/${label}-${i}.png`,
        label,
        predictionId: `${label}-${i}`,
        sha256: `${label}-${i}`.padEnd(64, '0'),
      })),
    )

  test('holds out round(n x fraction) scans, shared among labels by their counts, never all of them', () => {
    const split = holdOutFeedback(scans({ basketball: 10, golf_ball: 5, tennis_ball: 1 }), {
      fraction: 0.3,
      seed: 1,
    })
    const count = (label: string) => split.heldOut.filter((s) => s.label === label).length
    expect(split.heldOut).toHaveLength(5)
    expect(split.trainedOn).toHaveLength(11)
    expect([count('basketball'), count('golf_ball'), count('tennis_ball')]).toEqual([3, 2, 0])
    expect(holdOutFeedback(scans({ basketball: 1 }), { fraction: 0.5, seed: 1 }).heldOut).toEqual([])
    expect(holdOutFeedback(scans({ basketball: 2 }), { fraction: 0.9, seed: 1 }).heldOut).toHaveLength(1)
  })

  test('is seeded: the same scans in any order and the same seed hold out the same scans', () => {
    const all = scans({ basketball: 12, golf_ball: 9 })
    const ids = (s: ExportedFeedback[]) => s.map((x) => x.predictionId).sort()
    const first = holdOutFeedback(all, { fraction: 0.3, seed: 5 })
    expect(ids(holdOutFeedback([...all].reverse(), { fraction: 0.3, seed: 5 }).heldOut)).toEqual(
      ids(first.heldOut),
    )
    const seeds = [6, 7, 8, 9].map((seed) => ids(holdOutFeedback(all, { fraction: 0.3, seed }).heldOut))
    expect(seeds.some((other) => other.join() !== ids(first.heldOut).join())).toBe(true)
  })
})

describe('retraining gate on held-out corrected scans', () => {
  const log = createSilentLogger()
  let tmpDir = ''
  let home = ''
  let database: TestDatabase
  let result: RetrainResult
  /** Content hashes of every corrected scan. */
  const scanBytes = new Set<string>()

  beforeAll(async () => {
    tmpDir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-holdout-'))
    home = path.join(tmpDir, 'home')
    database = await createTestDatabase('pglite')
    const db = database.handle.db
    await initBackend({ log })

    // Production answers by dominant colour: right on every photo here.
    const productionDir = path.join(tmpDir, 'production')
    const model = buildChannelModel(SIZE)
    await saveModelArtifact(productionDir, {
      model,
      labels: LABELS,
      preprocess: { size: SIZE, fit: 'stretch' },
    })
    model.dispose()
    const production = await registerModel(db, {
      home,
      name: 'sports-ball-cnn',
      artifactDir: productionDir,
      architecture: 'channel',
    })
    await promoteAlias(db, production.ref, 'production')

    // Base dataset: 4 photos per class, the last one the fixed test split's.
    const baseDir = path.join(tmpDir, 'base')
    const split: { train: string[]; test: string[] } = { train: [], test: [] }
    const files: Record<string, Buffer> = {}
    for (const [c, label] of LABELS.entries()) {
      for (let i = 0; i < 4; i++) {
        const rel = `${label}/${i}.png`
        files[rel] = await channelPhoto(label, c * 100 + i)
        ;(i === 3 ? split.test : split.train).push(rel)
      }
    }
    // Six corrected scans per class, each also a base training photo (an earlier round merged them): only the
    // split can keep a held-out one out of training.
    const scans: Array<{ label: string; bytes: Buffer }> = []
    for (const [c, label] of LABELS.entries()) {
      for (let i = 0; i < 6; i++) {
        const bytes = await channelPhoto(label, c * 100 + 50 + i)
        scans.push({ label, bytes })
        files[`${label}/fb-${i}.png`] = bytes
        split.train.push(`${label}/fb-${i}.png`)
      }
    }
    for (const { label, bytes } of scans) {
      const sha = hashBuffer(bytes)
      scanBytes.add(sha)
      await keepImage(home, sha, bytes)
      const wrong = LABELS.find((l) => l !== label) ?? 'basketball'
      const { row } = await insertPrediction(db, {
        filename: `${sha.slice(0, 8)}.png`,
        predictedLabel: wrong,
        confidence: 0.4,
        allScores: {},
        model: production.ref,
        status: 'needs_review',
        imageSha256: sha,
        imageBytes: bytes.length,
      })
      await correctPrediction(db, { predictionId: row.id, newLabel: label, correctedBy: null })
    }
    for (const [rel, bytes] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(baseDir, rel)), { recursive: true })
      await writeFile(path.join(baseDir, rel), bytes)
    }
    const splitFile = path.join(tmpDir, 'split.json')
    await writeFile(splitFile, JSON.stringify(split))
    const base = await importDataset(baseDir, { home, db, log })

    result = await retrainWithGate({
      home,
      db,
      log,
      codeVersion: 'test',
      splitFile,
      baseVersion: base.version,
      serving: {
        modelName: 'sports-ball-cnn',
        bundledModelDir: path.join(tmpDir, 'none'),
        runtime: 'tfjs',
        precision: 'auto',
        testViews: 'model',
      },
      holdoutFraction: 0.5,
      holdoutSeed: 3,
      // Only the held-out scans may decide: the test split lets any drop pass.
      testTolerance: 1,
      // A vanishing learning rate: the candidate stays at its random initialisation, truly worse than production.
      pipelineFile: path.resolve('pipelines/from-scratch.yaml'),
      overrides: [
        'architecture=seed-cnn',
        `imageSize=${SIZE}`,
        'epochs=1',
        'train.batchSize=8',
        'train.learningRate=0.000000001',
        'train.earlyStoppingPatience=0',
        'testViews=full',
      ],
    })
  })
  afterAll(async () => {
    await database?.dispose()
    await rm(tmpDir, { recursive: true, force: true })
  })

  test('holds out half the corrected scans per label, records them, and never trains on their bytes', async () => {
    expect(result.exported).toBe(18)
    expect(result.holdout).toMatchObject({ seed: 3, fraction: 0.5, trainedOn: 9 })
    for (const label of LABELS) {
      expect(result.holdout.scans.filter((s) => s.label === label)).toHaveLength(3)
    }
    const [recorded] = await listGateDecisions(database.handle.db)
    expect(recorded?.holdout).toEqual(result.holdout)
    expect(recorded?.feedbackCount).toBe(9)

    const run = await selectPipelineRun(database.handle.db, result.runId)
    const splitStep = run?.steps.find((s) => s.type === 'split') as { outputs?: { split?: string } }
    const stored = JSON.parse(await readFile(splitStep.outputs?.split ?? '', 'utf8')) as {
      train: string[]
      val: string[]
    }
    const manifest = await loadManifest(home, result.datasetVersion)
    const bytesOf = new Map(manifest.entries.map((e) => [e.path, e.sha256]))
    const trainedBytes = new Set([...stored.train, ...stored.val].map((p) => bytesOf.get(p)))
    const heldOut = new Set(result.holdout.scans.map((s) => s.sha256))
    expect(heldOut.size).toBe(9)
    for (const sha of heldOut) expect(trainedBytes.has(sha)).toBe(false)
    // ...while the nine scans it learns from are there, under the base's name and the export's.
    const learnt = [...scanBytes].filter((sha) => !heldOut.has(sha))
    expect(learnt).toHaveLength(9)
    for (const sha of learnt) expect(trainedBytes.has(sha)).toBe(true)
  })

  test('refuses a candidate worse than production on the held-out scans and leaves production alone', async () => {
    expect(result.baseline?.feedbackAccuracy).toBe(1)
    expect(result.candidate.feedbackAccuracy).toBeLessThan(1)
    expect(result.decision).toMatchObject({ decision: 'rejected', feedbackCount: 9 })
    expect(result.decision.reason).toMatch(/not better on the held-out corrected scans/)
    expect((await getModel(database.handle.db, result.candidateRef)).aliases).toEqual(['staging'])
    expect((await getModel(database.handle.db, 'sports-ball-cnn@production')).ref).toBe('sports-ball-cnn@1')
  })
})
