import { useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { BallLabel } from '../components/ball-label.js'
import { BarChart, LineChart } from '../components/charts.js'
import { StockByBin } from '../components/stock-by-bin.js'
import { AsyncView } from '../components/status-view.js'
import { DriftPanel } from './drift-panel.js'
import { formatCount, formatDay, formatPercent } from '../lib/format.js'
import type { ReportFilters } from '../lib/query-string.js'
import { pivotStock, type Stats, type StockEntry } from '../lib/reports.js'
import { useAsync } from '../use-async.js'

function StockTableView({ entries }: { entries: readonly StockEntry[] }) {
  const table = pivotStock(entries, 'No location')
  if (table.rows.length === 0) return <p class="empty">Nothing in stock yet: counted scans appear here.</p>
  return (
    <>
      {table.locations.length > 2 && (
        <p class="hint narrow-only" data-testid="scroll-hint">
          Swipe the table sideways for every location; ball type and total stay in view.
        </p>
      )}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Stock per ball type and location">
        <table class="table table--sticky-ends" data-testid="stock-table">
          <thead>
            <tr>
              <th scope="col">Ball type</th>
              {table.locations.map((location) => (
                <th key={location} scope="col" class="num">
                  {location}
                </th>
              ))}
              <th scope="col" class="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">
                  <BallLabel label={row.label} />
                </th>
                {table.locations.map((location) => (
                  <td key={location} class="num">
                    {formatCount(row.byLocation[location] ?? 0)}
                  </td>
                ))}
                <td class="num strong">{formatCount(row.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All</th>
              {table.locations.map((location) => (
                <td key={location} class="num" />
              ))}
              <td class="num strong">{formatCount(table.total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  )
}

function StatsView({ stats }: { stats: Stats }) {
  return (
    <>
      <dl class="tiles">
        <div class="tile">
          <dt>Scans</dt>
          <dd data-testid="stats-total">{formatCount(stats.total)}</dd>
        </div>
        <div class="tile">
          <dt>Average confidence</dt>
          <dd>{formatPercent(stats.averageConfidence)}</dd>
        </div>
        <div class="tile">
          <dt>Needing review</dt>
          <dd>{formatPercent(stats.needsReviewShare)}</dd>
        </div>
      </dl>
      <div class="chart-grid">
        <figure class="chart-figure">
          <figcaption>Scans per day</figcaption>
          {stats.perDay.length === 0 ? (
            <p class="empty">No scans in this period.</p>
          ) : (
            <BarChart
              title="Scans per day"
              points={stats.perDay.map((d) => ({ label: formatDay(d.day), value: d.count }))}
            />
          )}
        </figure>
        <figure class="chart-figure">
          <figcaption>Average confidence per day</figcaption>
          {stats.perDay.every((d) => d.averageConfidence === null) ? (
            <p class="empty">
              {stats.perDay.length === 0
                ? 'No scans in this period.'
                : 'This server does not report confidence per day yet.'}
            </p>
          ) : (
            <LineChart
              title="Average confidence per day"
              points={stats.perDay.map((d) => ({ label: formatDay(d.day), value: d.averageConfidence }))}
              format={(v) => formatPercent(v, 0)}
            />
          )}
        </figure>
      </div>
      {stats.perLabel.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <caption>Scans per ball type</caption>
            <thead>
              <tr>
                <th scope="col">Ball type</th>
                <th scope="col" class="num">
                  Scans
                </th>
                <th scope="col" class="num">
                  Share
                </th>
                <th scope="col" class="num">
                  <abbr title="Average confidence">Avg. conf.</abbr>
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.perLabel.map((row) => (
                <tr key={row.label}>
                  <th scope="row">
                    <BallLabel label={row.label} />
                  </th>
                  <td class="num">{formatCount(row.count)}</td>
                  <td class="num">{formatPercent(stats.total === 0 ? null : row.count / stats.total)}</td>
                  <td class="num">{formatPercent(row.averageConfidence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function ReportFilterForm({ value, onApply }: { value: ReportFilters; onApply: (f: ReportFilters) => void }) {
  const [draft, setDraft] = useState(value)
  const set = (key: keyof ReportFilters) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [key]: event.currentTarget.value })
  return (
    <form
      class="filters"
      aria-label="Report period"
      onSubmit={(event) => {
        event.preventDefault()
        onApply(draft)
      }}
    >
      <div class="field">
        <label for="report-from">From</label>
        <input id="report-from" type="date" value={draft.from} onInput={set('from')} />
      </div>
      <div class="field">
        <label for="report-to">To</label>
        <input id="report-to" type="date" value={draft.to} onInput={set('to')} />
      </div>
      <div class="field">
        <label for="report-location">Location</label>
        <input id="report-location" type="text" value={draft.location} onInput={set('location')} />
      </div>
      <div class="button-row filters__buttons">
        <button type="submit" class="button button--primary">
          Update report
        </button>
      </div>
    </form>
  )
}

export function StockPage() {
  const api = useApi()
  const [filters, setFilters] = useState<ReportFilters>({ from: '', to: '', location: '' })
  const [stock, reloadStock] = useAsync(() => api.stock(), [api])
  const [stats, reloadStats] = useAsync(() => api.stats(filters), [api, filters])
  return (
    <>
      <h1>Stock &amp; reports</h1>
      <section class="card" aria-labelledby="stock-title">
        <h2 id="stock-title">In stock now</h2>
        <AsyncView state={stock} what="stock" onRetry={reloadStock}>
          {(entries) => <StockTableView entries={entries} />}
        </AsyncView>
      </section>
      <StockByBin />
      <section class="card" aria-labelledby="reports-title">
        <h2 id="reports-title">Reports</h2>
        <ReportFilterForm value={filters} onApply={setFilters} />
        <AsyncView state={stats} what="reports" onRetry={reloadStats}>
          {(data) => <StatsView stats={data} />}
        </AsyncView>
      </section>
      <DriftPanel filters={filters} />
    </>
  )
}
