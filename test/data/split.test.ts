import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from '../fixtures.js'
import {
  buildManifest,
  hashBuffer,
  InvalidSplitFractionsError,
  SplitEntriesMissingError,
  SplitFileError,
  splitFromFile,
  splitStratified,
  type BallLabel,
  type DatasetEntry,
  type DatasetSplit,
} from '../../src/data/index.js'

function entry(label: BallLabel, i: number): DatasetEntry {
  const p = `${label}/${label}_${i}.jpg`
  return { label, path: p, sha256: hashBuffer(p), bytes: 100, width: 10, height: 10, format: 'jpeg' }
}

/** 3 classes of 100, 40 and 7 images. */
const manifest = buildManifest([
  ...Array.from({ length: 100 }, (_, i) => entry('basketball', i)),
  ...Array.from({ length: 40 }, (_, i) => entry('golf_ball', i)),
  ...Array.from({ length: 7 }, (_, i) => entry('volleyball', i)),
])

const paths = (list: DatasetEntry[]) => list.map((e) => e.path)
const count = (list: DatasetEntry[], label: BallLabel) => list.filter((e) => e.label === label).length

function expectPartition(split: DatasetSplit, total: number) {
  const all = [...paths(split.train), ...paths(split.val), ...paths(split.test)]
  expect(all).toHaveLength(total)
  expect(new Set(all).size).toBe(total)
}

describe('splitStratified', () => {
  test('cuts each class by the fractions and uses every entry once', () => {
    const split = splitStratified(manifest, { train: 0.7, val: 0.1, test: 0.2, seed: 42 })
    expectPartition(split, 147)
    expect([
      count(split.train, 'basketball'),
      count(split.val, 'basketball'),
      count(split.test, 'basketball'),
    ]).toEqual([70, 10, 20])
    expect([
      count(split.train, 'golf_ball'),
      count(split.val, 'golf_ball'),
      count(split.test, 'golf_ball'),
    ]).toEqual([28, 4, 8])
    expect(count(split.test, 'volleyball')).toBe(1)
  })

  test('is the same for the same seed and different for another seed', () => {
    const fractions = { train: 0.6, val: 0.2, test: 0.2 }
    const a = splitStratified(manifest, { ...fractions, seed: 1 })
    expect(splitStratified(manifest, { ...fractions, seed: 1 })).toEqual(a)
    expect(paths(splitStratified(manifest, { ...fractions, seed: 2 }).test)).not.toEqual(paths(a.test))
  })

  test("does not move one class's images when another class grows", () => {
    const fractions = { train: 0.7, val: 0.1, test: 0.2, seed: 9 }
    const bigger = buildManifest([
      ...manifest.entries,
      ...Array.from({ length: 30 }, (_, i) => entry('golf_ball', 100 + i)),
    ])
    const before = splitStratified(manifest, fractions)
    const after = splitStratified(bigger, fractions)
    const basketballTest = (s: DatasetSplit) => paths(s.test).filter((p) => p.startsWith('basketball/'))
    expect(basketballTest(after)).toEqual(basketballTest(before))
  })

  test('rejects fractions that do not sum to 1 or are negative', () => {
    expect(() => splitStratified(manifest, { train: 0.7, val: 0.2, test: 0.2, seed: 1 })).toThrow(
      InvalidSplitFractionsError,
    )
    expect(() => splitStratified(manifest, { train: 1.2, val: -0.2, test: 0, seed: 1 })).toThrow(
      InvalidSplitFractionsError,
    )
  })
})

describe('splitFromFile', () => {
  const train = [
    ...Array.from({ length: 80 }, (_, i) => `basketball/basketball_${i}.jpg`),
    ...Array.from({ length: 30 }, (_, i) => `golf_ball/golf_ball_${i}.jpg`),
  ]
  const testList = [
    ...Array.from({ length: 20 }, (_, i) => `basketball/basketball_${80 + i}.jpg`),
    ...Array.from({ length: 10 }, (_, i) => `./golf_ball/golf_ball_${30 + i}.jpg`),
  ]

  test('keeps the given test list and carves a stratified, seeded validation set out of train', async ({
    tmpDir,
  }) => {
    const file = path.join(tmpDir, 'split.json')
    await writeFile(file, JSON.stringify({ train, test: testList }))
    const split = await splitFromFile(manifest, file, { valFraction: 0.1, seed: 3 })
    expect(paths(split.test)).toEqual(testList.map((p) => p.replace('./', '')).sort())
    expect([count(split.val, 'basketball'), count(split.val, 'golf_ball')]).toEqual([8, 3])
    expect(split.train).toHaveLength(110 - 11)
    expect(paths(split.val).every((p) => train.includes(p))).toBe(true)
    expect(await splitFromFile(manifest, file, { valFraction: 0.1, seed: 3 })).toEqual(split)
    expect(paths((await splitFromFile(manifest, file, { valFraction: 0.1, seed: 4 })).val)).not.toEqual(
      paths(split.val),
    )
  })

  test('lists every path the manifest lacks in a typed error', async () => {
    const err = await splitFromFile(
      manifest,
      { train: [...train, 'golf_ball/ghost.jpg'], test: ['tennis_ball/nope.jpg'] },
      { valFraction: 0.1, seed: 1 },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SplitEntriesMissingError)
    expect(err).toMatchObject({ missing: ['golf_ball/ghost.jpg', 'tennis_ball/nope.jpg'] })
  })

  test('rejects a path listed in both train and test, and a file of the wrong shape', async ({ tmpDir }) => {
    await expect(
      splitFromFile(manifest, { train, test: [train[0] ?? ''] }, { valFraction: 0.1, seed: 1 }),
    ).rejects.toBeInstanceOf(SplitFileError)
    const file = path.join(tmpDir, 'bad.json')
    await writeFile(file, JSON.stringify({ training: [] }))
    await expect(splitFromFile(manifest, file, { valFraction: 0.1, seed: 1 })).rejects.toBeInstanceOf(
      SplitFileError,
    )
  })
})
