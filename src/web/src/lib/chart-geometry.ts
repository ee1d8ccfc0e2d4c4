/** Geometry for the hand-drawn SVG charts, in viewBox units: kept apart from the components to test it. */
export interface PlotBox {
  width: number
  height: number
  left: number
  right: number
  top: number
  bottom: number
}

export interface Bar {
  x: number
  y: number
  width: number
  height: number
}

/** Smallest 1, 2 or 5 x 10^k at or above `max`, so axis ticks land on round numbers. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= max) return step * magnitude
  }
  return 10 * magnitude
}

/**
 * Whole-number axis for counts: the smallest 1/2/5 x 10^k step giving at most `maxSteps` steps, and the
 * top rounded up to it, so a day with 1 scan shows ticks 0 and 1, not 0, 0.25, 0.5…
 */
export function countAxis(max: number, maxSteps = 5): { top: number; ticks: number[] } {
  const safeMax = Number.isFinite(max) && max > 0 ? max : 1
  let step = 1
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => safeMax / s <= maxSteps)
    if (found !== undefined) {
      step = found
      break
    }
  }
  const top = Math.ceil(safeMax / step) * step
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) }
}

/** `count` + 1 evenly spaced tick values from 0 to `top`. */
export function ticks(top: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count)
}

function innerWidth(box: PlotBox): number {
  return box.width - box.left - box.right
}

function innerHeight(box: PlotBox): number {
  return box.height - box.top - box.bottom
}

/** Y coordinate of `value` on a 0..top axis. */
export function scaleY(value: number, top: number, box: PlotBox): number {
  const clamped = Math.min(Math.max(value, 0), top)
  return box.top + innerHeight(box) * (1 - clamped / top)
}

/** Centre X of slot `index` out of `count` equal slots. */
export function slotCenter(index: number, count: number, box: PlotBox): number {
  const slot = innerWidth(box) / Math.max(count, 1)
  return box.left + slot * (index + 0.5)
}

/** Bars centred in equal slots; `maxWidth` keeps a lone bar from filling the whole chart. */
export function layoutBars(
  values: readonly number[],
  top: number,
  box: PlotBox,
  { gapRatio = 0.25, maxWidth = Infinity }: { gapRatio?: number; maxWidth?: number } = {},
): Bar[] {
  const slot = innerWidth(box) / Math.max(values.length, 1)
  const width = Math.min(slot * (1 - gapRatio), maxWidth)
  return values.map((value, i) => {
    const y = scaleY(value, top, box)
    return {
      x: slotCenter(i, values.length, box) - width / 2,
      y,
      width,
      height: box.top + innerHeight(box) - y,
    }
  })
}

/** SVG path through the points; a null value breaks the line (a day with no scans has no average). */
export function linePath(values: readonly (number | null)[], top: number, box: PlotBox): string {
  let path = ''
  let penDown = false
  values.forEach((value, i) => {
    if (value === null) {
      penDown = false
      return
    }
    const x = slotCenter(i, values.length, box).toFixed(1)
    const y = scaleY(value, top, box).toFixed(1)
    path += `${penDown ? 'L' : 'M'}${x} ${y}`
    penDown = true
  })
  return path
}

/** Which of `count` x labels to print so they do not overlap: about `maxLabels` of them, always the last. */
export function labelIndexes(count: number, maxLabels: number): number[] {
  if (count <= maxLabels) return Array.from({ length: count }, (_, i) => i)
  const step = Math.ceil(count / maxLabels)
  const indexes: number[] = []
  for (let i = count - 1; i >= 0; i -= step) indexes.unshift(i)
  return indexes
}
