import { formatPercent } from '../lib/format.js'
import type { ThresholdRow } from '../lib/models.js'

/**
 * The review trade-off of one model: at each confidence threshold, how many scans would count as stock
 * without a look and how many of those would be right. SPORTSCAN_THRESHOLD picks the row in service.
 */
export function ThresholdTable({ rows }: { rows: readonly ThresholdRow[] }) {
  return (
    <table class="table">
      <caption>On the test photos; the server uses SPORTSCAN_THRESHOLD (default 0.5)</caption>
      <thead>
        <tr>
          <th scope="col">Confidence ≥</th>
          <th scope="col">Counted without review</th>
          <th scope="col">Right among counted</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.threshold}>
            <th scope="row" class="num">
              {row.threshold.toFixed(2)}
            </th>
            <td class="num">{formatPercent(row.coverage)}</td>
            <td class="num">{formatPercent(row.accuracy)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
