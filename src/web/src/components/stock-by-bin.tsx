import { useApi } from '../api-context.js'
import { formatCount } from '../lib/format.js'
import { describeBallType } from '../lib/ball-types.js'
import type { BinStock } from '../lib/put-away.js'
import { useAsync } from '../use-async.js'
import { AsyncView } from './status-view.js'

function labelsOf(stock: BinStock): string {
  return Object.entries(stock.perLabel)
    .map(([label, n]) => `${describeBallType(label).name} × ${n}`)
    .join(', ')
}

function BinStockTable({ bins }: { bins: readonly BinStock[] }) {
  if (bins.length === 0) return <p class="empty">No bins and no stock yet.</p>
  // The site is worth a column only when there is more than one.
  const showSites = new Set(bins.map((b) => b.site)).size > 1
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Stock per bin">
      <table class="table" data-testid="bin-stock-table">
        <thead>
          <tr>
            <th scope="col">Bin</th>
            <th scope="col">Ball types</th>
            <th scope="col" class="num">
              In bin
            </th>
            <th scope="col" class="num">
              Confirmed
            </th>
            <th scope="col" class="num">
              Capacity
            </th>
          </tr>
        </thead>
        <tbody>
          {bins.map((b) => (
            <tr key={`${b.site ?? ''}/${b.bin ?? ''}`} class={b.isOverCapacity ? 'row--over' : undefined}>
              <th scope="row">
                <span class="bin-stock__bin">{b.bin ?? <span class="muted">No bin</span>}</span>
                {showSites && b.site !== null && <span class="hint"> · {b.site}</span>}
              </th>
              <td>{labelsOf(b) || '–'}</td>
              <td class="num strong">{formatCount(b.count)}</td>
              <td class="num">{formatCount(b.shelved)}</td>
              <td class="num">
                {b.capacity ?? '–'}
                {b.isOverCapacity && (
                  <span class="badge badge--warn bin-over" data-testid="over-capacity">
                    Over by {b.count - (b.capacity ?? 0)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Stock grouped by bin: what each bin should hold, how much of it was confirmed shelved, overflowing bins. */
export function StockByBin() {
  const api = useApi()
  const [bins, reload] = useAsync(() => api.stockByBin(''), [api])
  return (
    <section class="card" aria-labelledby="bin-stock-title">
      <h2 id="bin-stock-title">In stock per bin</h2>
      <p class="hint">
        A ball counts in the bin a worker confirmed, else in the bin its type is assigned to; “Confirmed” is
        the part workers confirmed shelving.
      </p>
      <AsyncView state={bins} what="stock per bin" onRetry={reload}>
        {(data) => <BinStockTable bins={data} />}
      </AsyncView>
    </section>
  )
}
