import { BallIcon } from './ball-label.js'
import { describeBallType } from '../lib/ball-types.js'
import type { ConfusionMatrix } from '../lib/models.js'

/** Share of row `i` (true class) in cell `j`, 0 for an empty row; drives the cell shading. */
function rowShare(counts: readonly number[], j: number): number {
  const total = counts.reduce((sum, n) => sum + n, 0)
  return total === 0 ? 0 : (counts[j] ?? 0) / total
}

/** Confusion counts as a shaded table: rows are the true ball type, columns the predicted one. */
export function ConfusionTable({ matrix }: { matrix: ConfusionMatrix }) {
  const balls = matrix.labels.map(describeBallType)
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Confusion matrix">
      <table class="confusion">
        <caption>Rows: true ball type · columns: predicted</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">True / predicted</span>
            </th>
            {balls.map((ball) => (
              <th key={ball.label} scope="col" title={ball.name}>
                <BallIcon label={ball.label} />
                <span class="visually-hidden">{ball.name}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.counts.map((row, i) => (
            <tr key={balls[i]?.label ?? i}>
              <th scope="row" title={balls[i]?.name}>
                {balls[i] && <BallIcon label={balls[i].label} />} {balls[i]?.name}
              </th>
              {row.map((count, j) => {
                const share = rowShare(row, j)
                return (
                  <td
                    key={balls[j]?.label ?? j}
                    class={i === j ? 'confusion__diagonal' : undefined}
                    style={{ backgroundColor: `rgb(29 78 216 / ${(share * 0.85).toFixed(2)})` }}
                    data-dark={share > 0.5 ? 'true' : undefined}
                  >
                    {count}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
