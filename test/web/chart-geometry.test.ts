import { describe, expect, it } from 'vitest'
import {
  countAxis,
  labelIndexes,
  layoutBars,
  linePath,
  niceCeiling,
  scaleY,
  ticks,
  type PlotBox,
} from '../../src/web/src/lib/chart-geometry.js'

const box: PlotBox = { width: 100, height: 60, left: 10, right: 10, top: 5, bottom: 5 }

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeiling(7)).toBe(10)
    expect(niceCeiling(13)).toBe(20)
    expect(niceCeiling(41)).toBe(50)
    expect(niceCeiling(100)).toBe(100)
    expect(niceCeiling(0.3)).toBe(0.5)
  })

  it('gives 1 for an empty or zero series so the axis still has a scale', () => {
    expect(niceCeiling(0)).toBe(1)
    expect(niceCeiling(Number.NaN)).toBe(1)
  })
})

describe('countAxis', () => {
  it('uses whole-number ticks for small counts', () => {
    expect(countAxis(1)).toEqual({ top: 1, ticks: [0, 1] })
    expect(countAxis(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] })
  })

  it('steps by 1, 2 or 5 times a power of ten, keeping at most 5 steps', () => {
    expect(countAxis(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] })
    expect(countAxis(42).ticks).toEqual([0, 10, 20, 30, 40, 50])
    expect(countAxis(1234).top).toBe(1500)
  })

  it('still draws an axis for no data', () => {
    expect(countAxis(0)).toEqual({ top: 1, ticks: [0, 1] })
  })
})

describe('ticks', () => {
  it('spaces ticks evenly from zero to the top', () => {
    expect(ticks(20, 4)).toEqual([0, 5, 10, 15, 20])
  })
})

describe('layoutBars', () => {
  it('draws bars from the baseline, proportional to value, inside the plot', () => {
    const bars = layoutBars([0, 5, 10], 10, box, { gapRatio: 0 })
    const baseline = box.height - box.bottom
    expect(bars.map((b) => b.height)).toEqual([0, 25, 50])
    for (const bar of bars) expect(bar.y + bar.height).toBeCloseTo(baseline)
    expect(bars[0]?.x).toBeCloseTo(box.left)
    expect((bars[2]?.x ?? 0) + (bars[2]?.width ?? 0)).toBeCloseTo(box.width - box.right)
  })

  it('caps the bar width so a single day is not one wall of colour', () => {
    const [bar] = layoutBars([3], 10, box, { maxWidth: 12 })
    expect(bar?.width).toBe(12)
    expect((bar?.x ?? 0) + 6).toBeCloseTo(box.left + (box.width - box.left - box.right) / 2)
  })

  it('clamps values above the top to the plot area', () => {
    expect(scaleY(50, 10, box)).toBe(box.top)
  })
})

describe('linePath', () => {
  it('moves, then draws, and lifts the pen at missing values', () => {
    const path = linePath([0, 1, null, 0.5], 1, box)
    const commands = path.match(/[ML]/g)
    expect(commands).toEqual(['M', 'L', 'M'])
  })

  it('is empty without values', () => {
    expect(linePath([null, null], 1, box)).toBe('')
  })
})

describe('labelIndexes', () => {
  it('keeps every label when they fit', () => {
    expect(labelIndexes(3, 7)).toEqual([0, 1, 2])
  })

  it('thins labels out and always keeps the last (most recent) one', () => {
    const indexes = labelIndexes(30, 7)
    expect(indexes.length).toBeLessThanOrEqual(7)
    expect(indexes.at(-1)).toBe(29)
  })
})
