import { writeFile } from 'node:fs/promises'
import { escapeXml, PLOT_FONT, renderSvgToPng, type RenderedPlot } from './svg-to-png.js'

export interface ConfusionMatrixPlotOptions {
  title?: string
}

const CELL = 46
const LEFT = 190
const TOP = 70
const BOTTOM = 170
const RIGHT = 190

/**
 * Renders confusion[true][predicted] as a heat map: cells shaded by the share of their row (recall), counts
 * written in, true classes down the side, predicted classes along the bottom, and a colour bar.
 */
export async function renderConfusionMatrix(
  confusion: readonly (readonly number[])[],
  labels: readonly string[],
  options: ConfusionMatrixPlotOptions = {},
): Promise<RenderedPlot> {
  const k = labels.length
  const grid = k * CELL
  const width = LEFT + grid + RIGHT
  const height = TOP + grid + BOTTOM
  const parts: string[] = []
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  const title = options.title ?? 'Confusion matrix'
  parts.push(text(LEFT + grid / 2, 30, title, { size: 20, weight: 'bold' }))
  parts.push(
    text(LEFT + grid / 2, 54, 'rows: true class · columns: predicted class · shade: share of the row', {
      size: 13,
      fill: '#555',
    }),
  )

  parts.push(text(LEFT + grid + 34, TOP - 8, 'recall', { size: 13, weight: 'bold' }))
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0)
    const recall = total > 0 ? `${Math.round((100 * (row[i] ?? 0)) / total)}%` : '–'
    parts.push(text(LEFT + grid + 34, TOP + i * CELL + CELL / 2 + 5, recall, { size: 14 }))
    row.forEach((count, j) => {
      const share = total > 0 ? count / total : 0
      const x = LEFT + j * CELL
      const y = TOP + i * CELL
      parts.push(
        `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${shade(share)}" stroke="#d0d0d0" stroke-width="1"/>`,
      )
      if (count > 0) {
        parts.push(
          text(x + CELL / 2, y + CELL / 2 + 5, String(count), {
            size: count >= 100 ? 13 : 15,
            fill: share > 0.5 ? '#ffffff' : '#1a1a1a',
            weight: i === j ? 'bold' : 'normal',
          }),
        )
      }
    })
  })
  // Diagonal outline makes the correct cells easy to follow.
  for (let i = 0; i < k; i++) {
    parts.push(
      `<rect x="${LEFT + i * CELL + 1}" y="${TOP + i * CELL + 1}" width="${CELL - 2}" height="${CELL - 2}" fill="none" stroke="#e07b00" stroke-width="2"/>`,
    )
  }
  labels.forEach((label, i) => {
    parts.push(text(LEFT - 10, TOP + i * CELL + CELL / 2 + 5, label, { size: 14, anchor: 'end' }))
    const cx = LEFT + i * CELL + CELL / 2
    const cy = TOP + grid + 12
    parts.push(
      `<text x="${cx}" y="${cy}" font-family="${PLOT_FONT}" font-size="14" text-anchor="end" fill="#1a1a1a" transform="rotate(-55 ${cx} ${cy})">${escapeXml(label)}</text>`,
    )
  })
  parts.push(
    text(18, TOP + grid / 2, 'true class', {
      size: 15,
      weight: 'bold',
      transform: `rotate(-90 18 ${TOP + grid / 2})`,
    }),
  )
  parts.push(text(LEFT + grid / 2, height - 14, 'predicted class', { size: 15, weight: 'bold' }))

  const barX = LEFT + grid + 100
  const barH = Math.max(120, grid)
  const stops = [0, 0.25, 0.5, 0.75, 1]
  parts.push(
    `<defs><linearGradient id="scale" x1="0" y1="1" x2="0" y2="0">${stops
      .map((s) => `<stop offset="${s}" stop-color="${shade(s)}"/>`)
      .join('')}</linearGradient></defs>`,
  )
  parts.push(`<rect x="${barX}" y="${TOP}" width="18" height="${barH}" fill="url(#scale)" stroke="#999"/>`)
  for (const s of stops) {
    parts.push(
      text(barX + 24, TOP + barH - s * barH + 5, `${Math.round(s * 100)}%`, { size: 12, anchor: 'start' }),
    )
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`
  return renderSvgToPng(svg, width, height)
}

export async function writeConfusionMatrixPng(
  file: string,
  confusion: readonly (readonly number[])[],
  labels: readonly string[],
  options: ConfusionMatrixPlotOptions = {},
): Promise<void> {
  const { png } = await renderConfusionMatrix(confusion, labels, options)
  await writeFile(file, png)
}

/** White to deep blue; perceptually close to matplotlib's "Blues". */
function shade(share: number): string {
  const from = [247, 251, 255]
  const to = [8, 48, 107]
  const t = Math.min(1, Math.max(0, share))
  const channel = (a: number, b: number) => Math.round(a + (b - a) * t)
  return `rgb(${channel(from[0] ?? 0, to[0] ?? 0)},${channel(from[1] ?? 0, to[1] ?? 0)},${channel(from[2] ?? 0, to[2] ?? 0)})`
}

function text(
  x: number,
  y: number,
  content: string,
  style: { size: number; anchor?: string; fill?: string; weight?: string; transform?: string },
): string {
  const transform = style.transform ? ` transform="${style.transform}"` : ''
  return `<text x="${x}" y="${y}" font-family="${PLOT_FONT}" font-size="${style.size}" font-weight="${style.weight ?? 'normal'}" text-anchor="${style.anchor ?? 'middle'}" fill="${style.fill ?? '#1a1a1a'}"${transform}>${escapeXml(content)}</text>`
}
