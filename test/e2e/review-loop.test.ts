import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { colourImage, multipart, writeTinyModel } from '../api/api-harness.js'
import { describe, expect, test } from '../fixtures.js'
import { BALL_LABELS, importDataset } from '../../src/data/index.js'
import { listGateDecisions } from '../../src/db/index.js'
import { decideGate, retrainWithGate } from '../../src/pipeline/index.js'
import { getModel } from '../../src/registry/index.js'

const CLASSES = ['basketball', 'golf_ball', 'tennis_ball'] as const
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const FROM_SCRATCH_PIPELINE = path.join(repoRoot, 'pipelines/from-scratch.yaml')
const defaultDataset = path.resolve(repoRoot, '../shared/datasets/sports-balls')

/**
 * Six photos per class: real ones from SPORTSCAN_DATASET (default ../shared/datasets/sports-balls). When the
 * variable is set the folder must exist (a failure, never a skip); unset and absent, generated images stand in.
 */
async function photosByClass(): Promise<Record<string, Buffer[]>> {
  const configured = process.env.SPORTSCAN_DATASET
  const dataset = configured || defaultDataset
  const isThere = await access(dataset).then(
    () => true,
    () => false,
  )
  if (configured && !isThere) throw new Error(`SPORTSCAN_DATASET=${configured} is set but does not exist`)
  const out: Record<string, Buffer[]> = {}
  for (const [c, label] of CLASSES.entries()) {
    if (!isThere) {
      out[label] = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => colourImage(c * 10 + i, 32, 'jpeg')))
      continue
    }
    const dir = path.join(dataset, label)
    const files = (await readdir(dir))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, 6)
    if (files.length < 6) throw new Error(`fewer than 6 .jpg photos under ${dir}`)
    out[label] = await Promise.all(files.map((f) => readFile(path.join(dir, f))))
  }
  return out
}

describe('the review and retraining loop', () => {
  test('corrects scans, moves stock, exports, merges, retrains for one epoch and records the gate decision', async ({
    database,
    tmpDir,
    makeApp,
  }) => {
    const photos = await photosByClass()
    // Served, and the baseline the candidate must beat (the registry has no production model yet).
    const bundled = await writeTinyModel(path.join(tmpDir, 'bundled'), { labels: BALL_LABELS })
    // Threshold 1: every scan is uncertain, so every scan lands in the review queue.
    const api = await makeApp({ model: bundled, serving: { threshold: 1, storeImages: true } })
    const home = api.config.home
    const db = database.handle.db
    // Base dataset: photos 0-3 of each class; the fixed split tests on photo 3.
    const baseDir = path.join(tmpDir, 'base')
    const split: { train: string[]; test: string[] } = { train: [], test: [] }
    for (const label of CLASSES) {
      await mkdir(path.join(baseDir, label), { recursive: true })
      for (let i = 0; i < 4; i++) {
        const rel = `${label}/${label}_${i}.jpg`
        await writeFile(path.join(baseDir, rel), photos[label]?.[i] ?? Buffer.alloc(0))
        ;(i === 3 ? split.test : split.train).push(rel)
      }
    }
    const splitFile = path.join(tmpDir, 'split.json')
    await writeFile(splitFile, JSON.stringify(split))
    const base = await importDataset(baseDir, { home, db, log: api.server.log })
    const startedAt = new Date()

    // Scan photo 4 of each class, and one more that is not a ball (photo 5 of basketball, say).
    const scan = async (bytes: Buffer | undefined, name: string) => {
      const body = multipart([{ name: 'img', filename: name, value: bytes ?? Buffer.alloc(0) }])
      const res = await api.inject({ method: 'POST', url: '/predict', ...body })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<{ id: string; predicted_label: string; status: string }>()
    }
    const scans = await Promise.all(CLASSES.map((label) => scan(photos[label]?.[4], `${label}.jpg`)))
    const junk = await scan(photos.basketball?.[5], 'junk.jpg')
    expect([...scans, junk].every((s) => s.status === 'needs_review')).toBe(true)

    const queue = await api.inject({ method: 'GET', url: '/review' })
    expect(queue.statusCode, queue.body).toBe(200)
    expect(queue.json<{ total: number }>().total).toBe(4)
    const stock = async () =>
      (await api.inject({ method: 'GET', url: '/stock' })).json<{
        total: number
        per_label: Record<string, number>
      }>()
    expect((await stock()).total).toBe(0)

    // A person corrects the three scans to their real class and the fourth to "not a ball".
    for (const [i, label] of CLASSES.entries()) {
      const res = await api.inject({
        method: 'POST',
        url: `/predictions/${scans[i]?.id}/correction`,
        payload: { label },
      })
      expect(res.statusCode, res.body).toBe(201)
    }
    await api.inject({
      method: 'POST',
      url: `/predictions/${junk.id}/correction`,
      payload: { label: 'not_a_ball' },
    })
    expect(await stock()).toMatchObject({
      total: 3,
      per_label: { basketball: 1, golf_ball: 1, tennis_ball: 1 },
    })
    expect((await api.inject({ method: 'GET', url: '/review' })).json<{ total: number }>().total).toBe(0)

    const lines: string[] = []
    const result = await retrainWithGate({
      home,
      db,
      log: api.server.log,
      codeVersion: 'test',
      splitFile,
      since: startedAt,
      baseVersion: base.version,
      serving: { ...api.config.serving, bundledModelDir: bundled },
      holdoutFraction: 0.3,
      holdoutSeed: 7,
      pipelineFile: FROM_SCRATCH_PIPELINE,
      overrides: [
        'architecture=seed-cnn',
        'epochs=1',
        'imageSize=16',
        'train.batchSize=8',
        'train.earlyStoppingPatience=0',
      ],
      onProgress: (line) => lines.push(line),
    })

    // Three corrected photos: one held out for the gate, two merged into the 12 of the base.
    expect(result.exported).toBe(3)
    expect(result.holdout).toMatchObject({ seed: 7, fraction: 0.3, trainedOn: 2 })
    expect(result.holdout.scans).toHaveLength(1)
    expect(scans.map((s) => s.id)).toContain(result.holdout.scans[0]?.predictionId)
    expect(result.datasetVersion).not.toBe(base.version)
    const candidate = await getModel(db, result.candidateRef)
    expect(candidate.row.datasetVersion).toBe(result.datasetVersion)
    expect(candidate.row.params).toMatchObject({ epochs: 1, imageSize: 16 })
    expect(result.candidate).toMatchObject({ testCount: 3, feedbackCount: 1 })
    // The bundled model answers as itself (its metadata), as in the scans it stored.
    expect(result.baseline?.ref).toBe('tiny@1')

    // The decision follows the gate's rule from the recorded numbers, and the aliases follow the decision.
    const [recorded] = await listGateDecisions(db)
    expect(recorded?.id).toBe(result.decision.id)
    const expected = decideGate(result.candidate, result.baseline ?? undefined)
    expect(recorded).toMatchObject({
      candidateRef: result.candidateRef,
      baselineRef: 'tiny@1',
      decision: expected.decision,
      candidateTestAccuracy: result.candidate.testAccuracy,
      baselineFeedbackAccuracy: result.baseline?.feedbackAccuracy,
      feedbackCount: 1,
      testCount: 3,
      holdout: result.holdout,
    })
    expect(candidate.aliases).toEqual(
      expected.decision === 'promoted' ? ['production', 'staging'] : ['staging'],
    )
    expect(lines.some((l) => l.includes(`${result.candidateRef} ${expected.decision}`))).toBe(true)

    // The dashboard's source: GET /retrain lists the decision with both numbers.
    const shown = await api.inject({ method: 'GET', url: '/retrain' })
    expect(shown.json()).toMatchObject({
      is_available: false,
      job: null,
      decisions: [
        {
          id: recorded?.id,
          decision: expected.decision,
          test_count: 3,
          feedback_count: 1,
          holdout: { seed: 7, trained_on: 2, prediction_ids: [result.holdout.scans[0]?.predictionId] },
        },
      ],
    })
  })
})
