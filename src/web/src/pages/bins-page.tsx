import { useRef, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { BallLabel } from '../components/ball-label.js'
import { ErrorMessage, AsyncView } from '../components/status-view.js'
import { describeBallType } from '../lib/ball-types.js'
import type { BinAssignment, Sites } from '../lib/put-away.js'
import { useAsync } from '../use-async.js'
import { FileButton } from '../components/file-button.js'

type Action =
  | { step: 'idle' }
  | { step: 'saving' }
  | { step: 'done'; message: string }
  | { step: 'failed'; error: unknown }

function ActionStatus({ action }: { action: Action }) {
  if (action.step === 'failed') return <ErrorMessage error={action.error} />
  if (action.step === 'done') {
    return (
      <p class="alert alert--ok" role="status">
        {action.message}
      </p>
    )
  }
  return null
}

function AssignmentTable({
  assignments,
  onRemove,
}: {
  assignments: readonly BinAssignment[]
  onRemove: (label: string) => void
}) {
  if (assignments.length === 0) {
    return <p class="empty">No bins assigned at this site yet: scans answer “no bin” until you add some.</p>
  }
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Bin assignments">
      <table class="table bins-table" data-testid="bins-table">
        <thead>
          <tr>
            <th scope="col">Ball type</th>
            <th scope="col">Bin</th>
            <th scope="col" class="num">
              Capacity
            </th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {assignments.map((a) => (
            <tr key={a.label}>
              <th scope="row">
                <BallLabel label={a.label} />
              </th>
              <td class="strong">{a.bin}</td>
              <td class="num">{a.capacity ?? '–'}</td>
              <td>
                <button
                  type="button"
                  class="button button--small"
                  aria-label={`Remove the bin of ${a.label}`}
                  onClick={() => onRemove(a.label)}
                >
                  <span aria-hidden="true">✕</span>
                  <span class="hide-narrow">Remove</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Bins per site: where each ball type goes. Everyone signed in sees the plan; an admin key changes it. */
export function BinsPage() {
  const api = useApi()
  const [sites, reloadSites] = useAsync(() => api.sites(), [api])
  const [chosenSite, setChosenSite] = useState<string | null>(null)
  // The last sites seen, so reloading them (after an import) does not blank the page meanwhile.
  const known = useRef<Sites | null>(null)
  if (sites.status === 'ok') known.current = sites.data
  const site = chosenSite ?? known.current?.defaultSite ?? ''
  const [assignments, reload] = useAsync(
    () => (site === '' ? Promise.resolve([]) : api.binAssignments(site)),
    [api, site],
  )
  const [categories] = useAsync(() => api.categories(), [api])
  const [label, setLabel] = useState('basketball')
  const [bin, setBin] = useState('')
  const [capacity, setCapacity] = useState('')
  const [action, setAction] = useState<Action>({ step: 'idle' })

  const run = (work: () => Promise<string>) => {
    setAction({ step: 'saving' })
    work().then(
      (message) => {
        setAction({ step: 'done', message })
        // An import may bring a new site.
        reloadSites()
        reload()
      },
      (error: unknown) => setAction({ step: 'failed', error }),
    )
  }

  const siteNames = known.current?.sites ?? []
  return (
    <>
      <h1>Bins</h1>
      <p class="muted">
        Where each ball type goes at each site. A scan answers its bin (“Put it in A3-B”); a type with no bin
        answers that none is assigned.
      </p>
      <section class="card" aria-labelledby="bins-title">
        <div class="bins__head">
          <h2 id="bins-title">Assignments at site {site}</h2>
          {siteNames.length > 1 && (
            <div class="field field--inline">
              <label for="bins-site">Site</label>
              <select
                id="bins-site"
                value={site}
                onChange={(event) => setChosenSite(event.currentTarget.value)}
              >
                {siteNames.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        <AsyncView state={assignments} what="bins" onRetry={reload}>
          {(rows) => (
            <AssignmentTable
              assignments={rows}
              onRemove={(ballLabel) =>
                run(() => api.deleteBin(site, ballLabel).then(() => `Removed the bin of ${ballLabel}.`))
              }
            />
          )}
        </AsyncView>
        <div class="button-row">
          <button
            type="button"
            class="button"
            onClick={() =>
              run(async () => {
                const blob = await api.download(api.binsCsvUrl(site))
                const url = URL.createObjectURL(blob)
                const link = document.createElement('a')
                link.href = url
                link.download = `sportscan-bins-${site}.csv`
                link.click()
                URL.revokeObjectURL(url)
                return 'Exported the plan as CSV.'
              })
            }
          >
            Export CSV
          </button>
        </div>
      </section>
      <section class="card" aria-labelledby="assign-title">
        <h2 id="assign-title">Assign a bin</h2>
        <p class="hint">Needs an admin key. The bin is created if new; several ball types may share one.</p>
        <form
          class="bins__form"
          onSubmit={(event) => {
            event.preventDefault()
            const trimmed = capacity.trim()
            const cap = trimmed === '' ? null : Number(trimmed)
            run(() =>
              api.setBin(site, label, bin.trim(), cap).then(() => `${label} now goes in bin ${bin.trim()}.`),
            )
          }}
        >
          <div class="field">
            <label for="assign-label">Ball type</label>
            <select id="assign-label" value={label} onChange={(event) => setLabel(event.currentTarget.value)}>
              {(categories.status === 'ok' ? categories.data : [label]).map((l) => (
                <option key={l} value={l}>
                  {describeBallType(l).name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="assign-bin">Bin</label>
            <input
              id="assign-bin"
              type="text"
              required
              maxLength={40}
              pattern="[A-Za-z0-9][A-Za-z0-9._\/\-]*"
              placeholder="e.g. A3-B"
              value={bin}
              onInput={(event) => setBin(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="assign-capacity">Capacity (optional)</label>
            <input
              id="assign-capacity"
              type="number"
              min={1}
              inputMode="numeric"
              placeholder="no limit"
              value={capacity}
              onInput={(event) => setCapacity(event.currentTarget.value)}
            />
          </div>
          <button
            type="submit"
            class="button button--primary"
            disabled={action.step === 'saving' || site === ''}
          >
            Assign
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="import-title">
        <h2 id="import-title">Import a plan</h2>
        <p class="hint">
          A CSV with the columns <code>site,label,bin,capacity</code> (as Export writes it, or{' '}
          <code>docs/bins-sample.csv</code>). A file with a bad line changes nothing.
        </p>
        <div class="button-row">
          <FileButton
            accept=".csv,text/csv"
            testId="bins-import-input"
            onFile={(file) =>
              run(async () => {
                const imported = await api.importBins(await file.text(), false)
                return `Imported ${imported} assignments from ${file.name}.`
              })
            }
          >
            Choose a CSV file
          </FileButton>
        </div>
      </section>
      <ActionStatus action={action} />
    </>
  )
}
