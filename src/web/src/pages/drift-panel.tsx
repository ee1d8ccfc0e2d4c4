import { useApi } from '../api-context.js'
import { LineChart } from '../components/charts.js'
import { AsyncView } from '../components/status-view.js'
import { formatDay, formatPercent } from '../lib/format.js'
import type { ReportFilters } from '../lib/query-string.js'
import type { Drift } from '../lib/review.js'
import { useAsync } from '../use-async.js'

function DriftView({ drift }: { drift: Drift | null }) {
  if (drift === null) return <p class="empty">This server does not report drift.</p>
  if (drift.days.length === 0) return <p class="empty">No scans in this period.</p>
  const warned = drift.days.filter((d) => d.warnings.length > 0)
  return (
    <>
      {warned.length > 0 ? (
        <div class="alert alert--error" role="alert" data-testid="drift-warning">
          <p>Scans are drifting from what the model was trained on:</p>
          <ul>
            {warned.map((d) => (
              <li key={d.day}>
                {formatDay(d.day)}: {d.warnings.join('; ')}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="muted">No day beyond the drift bounds.</p>
      )}
      <div class="chart-grid">
        <figure class="chart-figure">
          <figcaption>Share of low-confidence scans per day</figcaption>
          <LineChart
            title="Share of low-confidence scans per day"
            points={drift.days.map((d) => ({ label: formatDay(d.day), value: d.lowConfidenceShare }))}
            format={(v) => formatPercent(v, 0)}
          />
        </figure>
        <figure class="chart-figure">
          <figcaption>Distance of predicted classes from the training mix (0 same, 1 disjoint)</figcaption>
          {drift.trainingDistribution === null ? (
            <p class="empty">No training distribution known (no dataset imported).</p>
          ) : (
            <LineChart
              title="Distance from the training class mix per day"
              points={drift.days.map((d) => ({ label: formatDay(d.day), value: d.distance }))}
              format={(v) => v.toFixed(2)}
            />
          )}
        </figure>
      </div>
    </>
  )
}

export function DriftPanel({ filters }: { filters: ReportFilters }) {
  const api = useApi()
  const [drift, reload] = useAsync(() => api.drift(filters), [api, filters])
  return (
    <section class="card" aria-labelledby="drift-title">
      <h2 id="drift-title">Drift</h2>
      <AsyncView state={drift} what="drift" onRetry={reload}>
        {(data) => <DriftView drift={data} />}
      </AsyncView>
    </section>
  )
}
