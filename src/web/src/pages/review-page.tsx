import { useEffect, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { BallLabel } from '../components/ball-label.js'
import { AsyncView, ErrorMessage } from '../components/status-view.js'
import { knownBallLabels } from '../lib/ball-types.js'
import type { ApiCapabilities } from '../lib/capabilities.js'
import { EMPTY_HISTORY_FILTERS } from '../lib/query-string.js'
import { formatDateTime, formatPercent } from '../lib/format.js'
import { reviewActionFor } from '../lib/review-keys.js'
import type { ReviewItem } from '../lib/review.js'
import { useAsync } from '../use-async.js'

const NOT_A_BALL = 'not_a_ball'

function ReviewCard({
  item,
  position,
  total,
  onCorrect,
  onSkip,
  isBusy,
  photoUrl,
}: {
  photoUrl: string | null
  item: ReviewItem
  position: number
  total: number
  onCorrect: (label: string) => void
  onSkip: () => void
  isBusy: boolean
}) {
  const api = useApi()
  const [photo, setPhoto] = useState<string | null>(null)
  useEffect(() => {
    // The photo needs the API key header, so it is fetched as a blob rather than linked.
    let url: string | null = null
    setPhoto(null)
    if (photoUrl === null) return
    api.download(photoUrl).then(
      (blob) => setPhoto((url = URL.createObjectURL(blob))),
      () => setPhoto(null),
    )
    return () => {
      if (url !== null) URL.revokeObjectURL(url)
    }
  }, [api, photoUrl])
  const guessed = new Set(item.topGuesses.map((g) => g.label))
  return (
    <article class="card review" data-testid="review-card" aria-label={`Scan ${position} of ${total}`}>
      <header class="model__header">
        <h2>
          Scan {position} of {total}
        </h2>
        {item.isFlagged && <span class="badge badge--warn">Flagged by staff</span>}
      </header>
      <p class="muted">
        {item.filename} · {formatDateTime(item.createdAt)}
        {item.location === null ? '' : ` · ${item.location}`}
      </p>
      {photo === null ? (
        <p class="empty">No photo kept for this scan (the server runs without STORE_IMAGES=1).</p>
      ) : (
        <img class="review__photo" src={photo} alt={`Photo of scan ${item.filename}`} />
      )}
      <h3>The model's guesses</h3>
      <ol class="button-row review__guesses">
        {item.topGuesses.map((guess, i) => (
          <li key={guess.label}>
            <button
              type="button"
              class={`button${i === 0 ? ' button--primary' : ''}`}
              disabled={isBusy}
              aria-keyshortcuts={String(i + 1)}
              onClick={() => onCorrect(guess.label)}
            >
              <kbd>{i + 1}</kbd> <BallLabel label={guess.label} /> {formatPercent(guess.score, 0)}
            </button>
          </li>
        ))}
      </ol>
      <div class="button-row">
        <button
          type="button"
          class="button"
          disabled={isBusy}
          aria-keyshortcuts="X"
          onClick={() => onCorrect(NOT_A_BALL)}
        >
          <kbd>X</kbd> Not a ball
        </button>
        <button type="button" class="button" disabled={isBusy} aria-keyshortcuts="S" onClick={onSkip}>
          <kbd>S</kbd> Skip
        </button>
      </div>
      <details>
        <summary>Another ball type</summary>
        <div class="button-row">
          {knownBallLabels()
            .filter((label) => !guessed.has(label))
            .map((label) => (
              <button
                key={label}
                type="button"
                class="button"
                disabled={isBusy}
                onClick={() => onCorrect(label)}
              >
                <BallLabel label={label} />
              </button>
            ))}
        </div>
      </details>
    </article>
  )
}

function Queue({
  items,
  total,
  scanCount,
  capabilities,
  onChanged,
}: {
  items: readonly ReviewItem[]
  total: number
  /** Every stored scan, to tell "nothing scanned yet" from "all checked". */
  scanCount: number
  capabilities: ApiCapabilities
  onChanged: () => void
}) {
  const api = useApi()
  const [index, setIndex] = useState(0)
  const [isBusy, setIsBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<string | null>(null)
  const item = items[index % Math.max(1, items.length)]

  const correct = (label: string) => {
    if (!item || isBusy) return
    setIsBusy(true)
    setError(null)
    api.correct(item.id, label).then(
      () => {
        setIsBusy(false)
        setDone(`${item.filename} recorded as ${label === NOT_A_BALL ? 'not a ball' : label}`)
        onChanged()
      },
      (err: unknown) => {
        setIsBusy(false)
        setError(err)
      },
    )
  }
  const skip = () => setIndex((i) => i + 1)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target.tagName : ''
      const action = reviewActionFor({ ...event, key: event.key, targetTag: target })
      if (action === null || !item) return
      event.preventDefault()
      if (action.kind === 'skip') skip()
      else if (action.kind === 'not-a-ball') correct(NOT_A_BALL)
      else {
        const guess = item.topGuesses[action.index]
        if (guess) correct(guess.label)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  return (
    <>
      <p role="status" class="muted" data-testid="review-status">
        {done ?? ''}
      </p>
      {error !== null && <ErrorMessage error={error} />}
      {item === undefined ? (
        <p class="empty card" data-testid="review-empty">
          {scanCount === 0 ? (
            <>
              Nothing to review yet: no ball has been scanned. <a href="/">Scan a ball</a>; scans the model is
              unsure about, and scans staff flag, wait here for a person.
            </>
          ) : (
            <>
              Nothing to review: every uncertain or flagged scan has been checked. To fix a scan that was
              counted, use Fix on its row in <a href="/scans">History</a>.
            </>
          )}
        </p>
      ) : (
        <ReviewCard
          key={item.id}
          item={item}
          position={(index % items.length) + 1}
          total={total}
          onCorrect={correct}
          onSkip={skip}
          isBusy={isBusy}
          photoUrl={api.imageUrl(item, capabilities)}
        />
      )}
    </>
  )
}

export function ReviewPage() {
  const api = useApi()
  const [queue, reload] = useAsync(
    () =>
      Promise.all([
        api.reviewQueue(50),
        api.history(EMPTY_HISTORY_FILTERS, { limit: 1, cursor: null }),
        api.capabilities(),
      ]),
    [api],
  )
  return (
    <>
      <h1>Review queue</h1>
      <p class="hint">
        Keys: <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd> accept a guess, <kbd>X</kbd> not a ball, <kbd>S</kbd>{' '}
        skip. Corrections move stock to the right ball type at once.
      </p>
      <AsyncView state={queue} what="the review queue" onRetry={reload}>
        {([data, history, capabilities]) => (
          <Queue
            items={data.items}
            total={data.total}
            scanCount={history.total}
            capabilities={capabilities}
            onChanged={reload}
          />
        )}
      </AsyncView>
    </>
  )
}
