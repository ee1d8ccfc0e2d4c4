import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, test } from '../fixtures.js'
import {
  renderConfusionMatrix,
  renderLearningCurves,
  writeConfusionMatrixPng,
  writeLearningCurvesPng,
  type EpochMetrics,
} from '../../src/model/index.js'

const history: EpochMetrics[] = [1, 2, 3, 4].map((epoch) => ({
  epoch,
  loss: 1 / epoch,
  acc: 0.5 + epoch / 10,
  valLoss: 1.2 / epoch,
  valAcc: 0.4 + epoch / 10,
  lr: 0.001,
  seconds: 1,
}))

describe('plots', () => {
  test('the confusion matrix is a PNG whose size grows with the class count', async ({ tmpDir }) => {
    const small = await renderConfusionMatrix(
      [
        [3, 1],
        [0, 4],
      ],
      ['a', 'b'],
    )
    const meta = await sharp(small.png).metadata()
    expect(meta.format).toBe('png')
    expect([meta.width, meta.height]).toEqual([small.width, small.height])
    const file = path.join(tmpDir, 'cm.png')
    const labels = ['a', 'b', 'c', 'd <&>']
    await writeConfusionMatrixPng(
      file,
      labels.map((_, i) => labels.map((_, j) => (i === j ? 5 : 1))),
      labels,
      { title: 'm@1 "test"' },
    )
    const big = await sharp(file).metadata()
    expect(big.width).toBeGreaterThan(small.width)
    expect(big.height).toBeGreaterThan(small.height)
  })

  test('the confusion matrix shades the diagonal darker than empty cells', async () => {
    const { png } = await renderConfusionMatrix(
      [
        [9, 0],
        [0, 9],
      ],
      ['a', 'b'],
    )
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    // Cell (0,0) starts at (190, 70), 46 px wide; sample its corner region away from the number and outline.
    const pixel = (x: number, y: number) => data[(y * info.width + x) * 3] ?? 0
    expect(pixel(190 + 6, 70 + 6)).toBeLessThan(100)
    expect(pixel(190 + 46 + 6, 70 + 6)).toBeGreaterThan(200)
  })

  test('learning curves render as a PNG, also for a single epoch', async ({ tmpDir }) => {
    const { png, width, height } = await renderLearningCurves(history, { bestEpoch: 3 })
    const meta = await sharp(png).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', width, height])
    const file = path.join(tmpDir, 'lc.png')
    await writeLearningCurvesPng(file, history.slice(0, 1))
    expect((await sharp(file).metadata()).width).toBe(width)
  })
})
