import {
  countAxis,
  labelIndexes,
  layoutBars,
  linePath,
  scaleY,
  slotCenter,
  ticks,
  type PlotBox,
} from '../lib/chart-geometry.js'

export interface ChartPoint {
  label: string
  value: number | null
}

// Text is sized in viewBox units, so it stays readable when a phone shrinks the chart to ~300 px.
const BOX: PlotBox = { width: 600, height: 280, left: 64, right: 16, top: 16, bottom: 40 }

function summary(title: string, points: readonly ChartPoint[], format: (v: number) => string): string {
  const parts = points.map((p) => `${p.label}: ${p.value === null ? 'no data' : format(p.value)}`)
  return `${title}. ${parts.join(', ')}`
}

function Axes({
  top,
  tickValues,
  points,
  format,
}: {
  top: number
  tickValues: readonly number[]
  points: readonly ChartPoint[]
  format: (v: number) => string
}) {
  const shown = new Set(labelIndexes(points.length, 5))
  return (
    <g class="chart__axes" aria-hidden="true">
      {tickValues.map((tick) => {
        const y = scaleY(tick, top, BOX)
        return (
          <g key={tick}>
            <line x1={BOX.left} x2={BOX.width - BOX.right} y1={y} y2={y} class="chart__grid" />
            <text x={BOX.left - 8} y={y + 7} text-anchor="end">
              {format(tick)}
            </text>
          </g>
        )
      })}
      {points.map((point, i) =>
        shown.has(i) ? (
          <text
            key={point.label}
            x={slotCenter(i, points.length, BOX)}
            y={BOX.height - 8}
            text-anchor="middle"
          >
            {point.label}
          </text>
        ) : null,
      )}
    </g>
  )
}

export function BarChart({
  title,
  points,
  format = String,
}: {
  title: string
  points: readonly ChartPoint[]
  format?: (v: number) => string
}) {
  const axis = countAxis(Math.max(0, ...points.map((p) => p.value ?? 0)))
  const bars = layoutBars(
    points.map((p) => p.value ?? 0),
    axis.top,
    BOX,
    { maxWidth: 56 },
  )
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      role="img"
      aria-label={summary(title, points, format)}
    >
      <Axes top={axis.top} tickValues={axis.ticks} points={points} format={String} />
      {bars.map((bar, i) => (
        <rect
          key={points[i]?.label ?? i}
          class="chart__bar"
          x={bar.x}
          y={bar.y}
          width={bar.width}
          height={bar.height}
        >
          <title>{`${points[i]?.label ?? ''}: ${format(points[i]?.value ?? 0)}`}</title>
        </rect>
      ))}
    </svg>
  )
}

/** A line over values in 0..1 (confidence); gaps where a day has no value. */
export function LineChart({
  title,
  points,
  format,
}: {
  title: string
  points: readonly ChartPoint[]
  format: (v: number) => string
}) {
  const top = 1
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      role="img"
      aria-label={summary(title, points, format)}
    >
      <Axes top={top} tickValues={ticks(top)} points={points} format={format} />
      <path
        class="chart__line"
        d={linePath(
          points.map((p) => p.value),
          top,
          BOX,
        )}
      />
      {points.map((point, i) =>
        point.value === null ? null : (
          <circle
            key={point.label}
            class="chart__dot"
            cx={slotCenter(i, points.length, BOX)}
            cy={scaleY(point.value, top, BOX)}
            r={6}
          >
            <title>{`${point.label}: ${format(point.value)}`}</title>
          </circle>
        ),
      )}
    </svg>
  )
}
