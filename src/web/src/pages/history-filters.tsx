import { useState } from 'preact/hooks'
import { describeBallType } from '../lib/ball-types.js'
import { EMPTY_HISTORY_FILTERS, type HistoryFilters } from '../lib/query-string.js'

/** The filter form; changes apply on submit so typing a location does not fire a request per key. */
export function HistoryFilterForm({
  labels,
  value,
  onApply,
}: {
  labels: readonly string[]
  value: HistoryFilters
  onApply: (filters: HistoryFilters) => void
}) {
  const [draft, setDraft] = useState(value)
  const set = (key: keyof HistoryFilters) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [key]: event.currentTarget.value })

  return (
    <form
      class="filters"
      aria-label="Filter history"
      onSubmit={(event) => {
        event.preventDefault()
        onApply(draft)
      }}
    >
      <div class="field">
        <label for="filter-label">Ball type</label>
        <select id="filter-label" value={draft.label} onChange={set('label')}>
          <option value="">Any</option>
          {labels.map((label) => {
            const ball = describeBallType(label)
            return (
              <option key={label} value={label}>
                {ball.name}
              </option>
            )
          })}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value={draft.status} onChange={set('status')}>
          <option value="">Any</option>
          <option value="counted">Counted</option>
          <option value="needs_review">Needs review</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-location">Location</label>
        <input id="filter-location" type="text" value={draft.location} onInput={set('location')} />
      </div>
      <div class="field">
        <label for="filter-from">From</label>
        <input id="filter-from" type="date" value={draft.from} onInput={set('from')} />
      </div>
      <div class="field">
        <label for="filter-to">To</label>
        <input id="filter-to" type="date" value={draft.to} onInput={set('to')} />
      </div>
      <div class="button-row filters__buttons">
        <button type="submit" class="button button--primary">
          Apply
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            setDraft({ ...EMPTY_HISTORY_FILTERS })
            onApply({ ...EMPTY_HISTORY_FILTERS })
          }}
        >
          Reset
        </button>
      </div>
    </form>
  )
}
