import { writeFile } from 'node:fs/promises'
import type { EpochMetrics } from '../train-loop.js'
import { escapeXml, PLOT_FONT, renderSvgToPng, type RenderedPlot } from './svg-to-png.js'

export interface LearningCurvesPlotOptions {
  title?: string
  /** 1-based epoch whose weights were kept; drawn as a dashed line. */
  bestEpoch?: number
}

const PANEL_W = 470
const PANEL_H = 320
const MARGIN = { left: 64, right: 36, top: 104, bottom: 58 }
const GAP = 60
const TRAIN_COLOUR = '#1f77b4'
const VAL_COLOUR = '#e6550d'

interface Series {
  name: string
  colour: string
  values: number[]
  dashed?: boolean
}

/** Two panels, loss and accuracy per epoch, each with its training and validation curve. */
export async function renderLearningCurves(
  history: readonly EpochMetrics[],
  options: LearningCurvesPlotOptions = {},
): Promise<RenderedPlot> {
  const width = MARGIN.left + PANEL_W + GAP + MARGIN.left + PANEL_W + MARGIN.right
  const height = MARGIN.top + PANEL_H + MARGIN.bottom
  const epochs = history.map((m) => m.epoch)
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#ffffff"/>`]
  parts.push(text(width / 2, 30, options.title ?? 'Learning curves', { size: 20, weight: 'bold' }))
  const lossMax = Math.max(0.1, ...history.flatMap((m) => [m.loss, m.valLoss]).filter(Number.isFinite))
  parts.push(
    panel(
      MARGIN.left,
      'Loss (cross-entropy)',
      epochs,
      [0, niceCeil(lossMax)],
      [
        { name: 'train', colour: TRAIN_COLOUR, values: history.map((m) => m.loss) },
        { name: 'validation', colour: VAL_COLOUR, values: history.map((m) => m.valLoss) },
      ],
      options.bestEpoch,
      (v) => formatTick(v, niceCeil(lossMax) / 5),
    ),
  )
  parts.push(
    panel(
      MARGIN.left + PANEL_W + GAP + MARGIN.left,
      'Accuracy',
      epochs,
      [0, 1],
      [
        { name: 'train', colour: TRAIN_COLOUR, values: history.map((m) => m.acc) },
        { name: 'validation', colour: VAL_COLOUR, values: history.map((m) => m.valAcc) },
      ],
      options.bestEpoch,
      (v) => `${Math.round(v * 100)}%`,
    ),
  )
  // Shared legend under the title.
  const legendY = 56
  const legend: Array<[string, string, boolean]> = [
    ['train', TRAIN_COLOUR, false],
    ['validation', VAL_COLOUR, false],
  ]
  if (options.bestEpoch !== undefined) legend.push([`best epoch (${options.bestEpoch})`, '#555', true])
  let lx = width / 2 - legend.length * 80
  for (const [name, colour, dashed] of legend) {
    parts.push(
      `<line x1="${lx}" y1="${legendY}" x2="${lx + 28}" y2="${legendY}" stroke="${colour}" stroke-width="3"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    )
    parts.push(text(lx + 36, legendY + 5, name, { size: 14, anchor: 'start' }))
    lx += 60 + name.length * 8
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`
  return renderSvgToPng(svg, width, height)
}

export async function writeLearningCurvesPng(
  file: string,
  history: readonly EpochMetrics[],
  options: LearningCurvesPlotOptions = {},
): Promise<void> {
  const { png } = await renderLearningCurves(history, options)
  await writeFile(file, png)
}

function panel(
  x0: number,
  title: string,
  epochs: number[],
  [yMin, yMax]: [number, number],
  series: Series[],
  bestEpoch: number | undefined,
  formatY: (v: number) => string,
): string {
  const y0 = MARGIN.top
  const first = epochs[0] ?? 1
  const last = Math.max(first + 1, epochs[epochs.length - 1] ?? 1)
  const sx = (epoch: number) => x0 + ((epoch - first) / (last - first)) * PANEL_W
  const sy = (v: number) =>
    y0 + PANEL_H - ((Math.min(yMax, Math.max(yMin, v)) - yMin) / (yMax - yMin)) * PANEL_H
  const parts: string[] = []
  parts.push(text(x0 + PANEL_W / 2, y0 - 10, title, { size: 16, weight: 'bold' }))
  for (let i = 0; i <= 5; i++) {
    const v = yMin + ((yMax - yMin) * i) / 5
    const y = sy(v)
    parts.push(
      `<line x1="${x0}" y1="${y}" x2="${x0 + PANEL_W}" y2="${y}" stroke="#e5e5e5" stroke-width="1"/>`,
    )
    parts.push(text(x0 - 8, y + 4, formatY(v), { size: 12, anchor: 'end' }))
  }
  for (const epoch of epochTicks(first, last)) {
    const x = sx(epoch)
    parts.push(`<line x1="${x}" y1="${y0 + PANEL_H}" x2="${x}" y2="${y0 + PANEL_H + 5}" stroke="#333"/>`)
    parts.push(text(x, y0 + PANEL_H + 20, String(epoch), { size: 12 }))
  }
  parts.push(text(x0 + PANEL_W / 2, y0 + PANEL_H + 44, 'epoch', { size: 14 }))
  parts.push(
    `<rect x="${x0}" y="${y0}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#333" stroke-width="1"/>`,
  )
  if (bestEpoch !== undefined && bestEpoch >= first && bestEpoch <= last) {
    const x = sx(bestEpoch)
    parts.push(
      `<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + PANEL_H}" stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    )
  }
  for (const s of series) {
    const points = epochs.flatMap((e, i) => {
      const v = s.values[i]
      return v !== undefined && Number.isFinite(v) ? [`${sx(e).toFixed(1)},${sy(v).toFixed(1)}`] : []
    })
    if (points.length === 0) continue
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2.5" stroke-linejoin="round"/>`,
    )
    if (points.length <= 40) {
      for (const p of points) {
        const [cx, cy] = p.split(',')
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${s.colour}"/>`)
      }
    }
  }
  return parts.join('')
}

/** About eight integer ticks, at a round step. */
function epochTicks(first: number, last: number): number[] {
  const span = last - first
  const step = [1, 2, 5, 10, 20, 25, 50, 100].find((s) => span / s <= 8) ?? Math.ceil(span / 8)
  const ticks: number[] = []
  for (let e = Math.ceil(first / step) * step; e <= last; e += step) ticks.push(e)
  if (ticks[0] !== first) ticks.unshift(first)
  return ticks
}

function niceCeil(v: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(v))
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]
  return (steps.find((s) => s * magnitude >= v) ?? 10) * magnitude
}

/** Same decimals on every tick of an axis, as many as its step needs. */
function formatTick(v: number, step: number): string {
  return v.toFixed(step >= 1 ? 0 : step >= 0.1 ? 1 : 2)
}

function text(
  x: number,
  y: number,
  content: string,
  style: { size: number; anchor?: string; weight?: string },
): string {
  return `<text x="${x}" y="${y}" font-family="${PLOT_FONT}" font-size="${style.size}" font-weight="${style.weight ?? 'normal'}" text-anchor="${style.anchor ?? 'middle'}" fill="#1a1a1a">${escapeXml(content)}</text>`
}
