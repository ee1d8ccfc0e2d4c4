import { Download, MapPin } from 'lucide'
import { Icon } from '../components/icon.js'
import { useEffect, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { BallLabel, StatusBadge } from '../components/ball-label.js'
import { PutAwayCell } from '../components/put-away-cell.js'
import { ChangeNotice, ScanActions, useScanChanges, type ScanChanges } from '../components/scan-actions.js'
import { AsyncView, ErrorMessage } from '../components/status-view.js'
import type { ApiCapabilities } from '../lib/capabilities.js'
import { describeBallType, knownBallLabels } from '../lib/ball-types.js'
import { formatCount, formatDateTime, formatPercent } from '../lib/format.js'
import { allowedCommands } from '../lib/scan-changes.js'
import {
  createPager,
  goToNextPage,
  goToPreviousPage,
  hasPreviousPage,
  pageRange,
  type PagerState,
} from '../lib/pagination.js'
import type { HistoryPage as HistoryPageData, Prediction } from '../lib/prediction.js'
import { EMPTY_HISTORY_FILTERS, type HistoryFilters } from '../lib/query-string.js'
import { useAsync } from '../use-async.js'
import { HistoryFilterForm } from './history-filters.js'

const PAGE_SIZE = 20

/** A kept scan photo, fetched with the API key (an <img src> cannot send it once auth is on). */
function Thumbnail({ url, alt }: { url: string | null; alt: string }) {
  const api = useApi()
  const [objectUrl, setObjectUrl] = useState<string | null>(null)
  useEffect(() => {
    setObjectUrl(null)
    if (url === null) return
    let created: string | null = null
    let isCurrent = true
    api.download(url).then(
      (blob) => {
        if (!isCurrent || !blob.type.startsWith('image/')) return
        created = URL.createObjectURL(blob)
        setObjectUrl(created)
      },
      () => {
        // No photo kept for this scan (or not allowed): the row keeps its empty frame.
      },
    )
    return () => {
      isCurrent = false
      if (created !== null) URL.revokeObjectURL(created)
    }
  }, [api, url])
  if (objectUrl === null) return <span class="thumb thumb--empty" aria-hidden="true" />
  return <img class="thumb" src={objectUrl} alt={alt} />
}

function HistoryTable({
  page,
  capabilities,
  changes,
}: {
  page: HistoryPageData
  capabilities: ApiCapabilities
  changes: ScanChanges
}) {
  const api = useApi()
  // The photo column only exists when the server says it keeps photos; otherwise it would be 404s and blanks.
  const photoUrls = page.items.map((item) => api.imageUrl(item, capabilities))
  const hasPhotos = capabilities.imagePath !== null
  const hasActions = allowedCommands(capabilities).canReview
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Scan history">
      <table class={`table table--cards${hasPhotos ? '' : ' table--no-photos'}`}>
        <thead>
          <tr>
            {hasPhotos && (
              <th scope="col">
                <span class="visually-hidden">Photo</span>
              </th>
            )}
            <th scope="col">Ball type</th>
            <th scope="col">Confidence</th>
            <th scope="col">Status</th>
            <th scope="col">Location</th>
            <th scope="col">Bin</th>
            <th scope="col">Scanned</th>
            <th scope="col" class="hide-narrow">
              Model
            </th>
            <th scope="col" class="hide-narrow">
              File
            </th>
            {hasActions && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {page.items.map((item: Prediction, i) => (
            <tr key={item.id} data-testid="history-row">
              {hasPhotos && (
                <td class="cell-thumb">
                  <Thumbnail url={photoUrls[i] ?? null} alt={`Photo ${item.filename}`} />
                </td>
              )}
              <td class="cell-label">
                <BallLabel label={item.correctedLabel ?? item.predictedLabel} />
                {item.isFlagged && <span class="badge badge--warn">Flagged</span>}
                {item.correctedLabel !== null && item.correctedLabel !== item.predictedLabel && (
                  <span class="hint corrected">
                    {' '}
                    (corrected; model said {describeBallType(item.predictedLabel).name})
                  </span>
                )}
              </td>
              <td class="num cell-confidence">{formatPercent(item.confidence)}</td>
              <td class="cell-status">
                <StatusBadge status={item.status} />
              </td>
              <td class="cell-location">
                <span class="narrow-only">
                  <Icon node={MapPin} size={14} />{' '}
                </span>
                {item.location ?? '–'}
              </td>
              <td class="cell-bin">
                <PutAwayCell item={item} />
              </td>
              <td class="nowrap cell-time">{formatDateTime(item.createdAt)}</td>
              <td class="hide-narrow">{item.model}</td>
              <td class="hide-narrow facts__wrap">{item.filename}</td>
              {hasActions && (
                <td class="cell-actions">
                  <details class="row-actions">
                    <summary class="button">
                      Fix<span class="visually-hidden"> scan {item.filename}</span>
                    </summary>
                    <ScanActions prediction={item} capabilities={capabilities} changes={changes} />
                  </details>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Downloads the CSV with the API key attached; without a key the plain link does the job. */
function ExportLink({ href }: { href: string }) {
  const api = useApi()
  const [error, setError] = useState<unknown>(null)
  return (
    <>
      <a
        class="button"
        href={href}
        download="sportscan-history.csv"
        onClick={(event) => {
          event.preventDefault()
          setError(null)
          api.download(href).then(
            (blob) => {
              const url = URL.createObjectURL(blob)
              const link = document.createElement('a')
              link.href = url
              link.download = 'sportscan-history.csv'
              link.click()
              // Give the browser a moment to start the download before the URL goes away.
              setTimeout(() => URL.revokeObjectURL(url), 10_000)
            },
            (err: unknown) => setError(err),
          )
        }}
      >
        <Icon node={Download} /> Export CSV
      </a>
      {error !== null && <ErrorMessage error={error} />}
    </>
  )
}

export function HistoryPage() {
  const api = useApi()
  const [filters, setFilters] = useState<HistoryFilters>({ ...EMPTY_HISTORY_FILTERS })
  const [pager, setPager] = useState<PagerState>(() => createPager(PAGE_SIZE))
  const [labels] = useAsync(() => api.categories(), [api])
  const [capabilities] = useAsync(() => api.capabilities(), [api])
  const [page, reload] = useAsync(
    () => api.history(filters, { limit: pager.pageSize, cursor: pager.cursor }),
    [api, filters, pager],
  )

  const labelOptions = labels.status === 'ok' ? labels.data : knownBallLabels()
  const caps = capabilities.status === 'ok' ? capabilities.data : null
  const changes = useScanChanges(reload)
  const isFiltered = Object.values(filters).some((value) => value !== '')

  return (
    <>
      <div class="page-title">
        <h1>History</h1>
        <ExportLink href={api.historyCsvUrl(filters)} />
      </div>
      <section class="card">
        <HistoryFilterForm
          labels={labelOptions}
          value={filters}
          onApply={(next) => {
            setFilters(next)
            setPager(createPager(PAGE_SIZE))
          }}
        />
      </section>
      <ChangeNotice changes={changes} />
      <section class="card">
        <AsyncView state={page} what="history" onRetry={reload}>
          {(data) => {
            const range = pageRange(pager, data.items.length)
            if (data.items.length === 0) {
              return (
                <p class="empty" data-testid="history-empty">
                  {isFiltered ? (
                    'No scans match these filters. Change them, or press Reset to see every scan.'
                  ) : (
                    <>
                      No scans yet. <a href="/">Scan a ball</a> and it will be listed here.
                    </>
                  )}
                </p>
              )
            }
            return (
              <>
                <p class="muted" role="status">
                  Showing {range.first}–{range.last} of {formatCount(data.total)} scans
                </p>
                {caps !== null && <HistoryTable page={data} capabilities={caps} changes={changes} />}
                <div class="button-row pager">
                  <button
                    type="button"
                    class="button"
                    disabled={!hasPreviousPage(pager)}
                    onClick={() => setPager(goToPreviousPage(pager))}
                  >
                    ← Newer
                  </button>
                  <button
                    type="button"
                    class="button"
                    disabled={data.nextCursor === null}
                    onClick={() => setPager(goToNextPage(pager, data.nextCursor))}
                  >
                    Older →
                  </button>
                </div>
              </>
            )
          }}
        </AsyncView>
      </section>
    </>
  )
}
