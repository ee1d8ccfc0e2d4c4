import { Camera, Check } from 'lucide'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import type { Prediction } from '../lib/prediction.js'
import { binsOf, describeNoBin, type PutAway } from '../lib/put-away.js'
import { FileButton } from './file-button.js'
import { Icon } from './icon.js'
import { ErrorMessage } from './status-view.js'

type Confirmation =
  | { step: 'idle' }
  | { step: 'choosing'; bins: readonly string[] | null }
  | { step: 'saving' }
  | { step: 'done'; putAway: PutAway }
  | { step: 'failed'; error: unknown }

/**
 * The put-away answer, first on the result card and sized for a phone held at arm's length: the bin, the
 * shelving confirmations, and "Scan next ball", which opens the camera again (one tap per ball).
 */
export function BinAnswer({
  prediction,
  onScanNext,
}: {
  prediction: Prediction
  onScanNext: (file: File) => void
}) {
  const api = useApi()
  const headline = useRef<HTMLHeadingElement>(null)
  const scanNext = useRef<HTMLInputElement>(null)
  const [confirmation, setConfirmation] = useState<Confirmation>(
    prediction.putAway === null ? { step: 'idle' } : { step: 'done', putAway: prediction.putAway },
  )
  const [elsewhere, setElsewhere] = useState('')
  const label = prediction.correctedLabel ?? prediction.predictedLabel
  const { bin, site } = prediction
  // Shelving is offered unless the scan must not be shelved (unsure, or not a ball).
  const isShelvable = prediction.binReason === null || prediction.binReason === 'no_assignment'

  useEffect(() => {
    setConfirmation(
      prediction.putAway === null ? { step: 'idle' } : { step: 'done', putAway: prediction.putAway },
    )
    // The answer is what the worker came for: keyboard and screen-reader users land on it.
    headline.current?.focus()
  }, [prediction.id])

  const confirm = (otherBin?: string) => {
    setConfirmation({ step: 'saving' })
    api.confirmPutAway(prediction.id, otherBin).then(
      (putAway) => {
        setConfirmation({ step: 'done', putAway })
        // Next ball: the camera button is one key press (or tap) away.
        scanNext.current?.focus()
      },
      (error: unknown) => setConfirmation({ step: 'failed', error }),
    )
  }

  const chooseElsewhere = () => {
    setConfirmation({ step: 'choosing', bins: null })
    if (site === null) return
    api.binAssignments(site).then(
      (assignments) => {
        const choices = binsOf(assignments).filter((b) => b !== bin)
        setElsewhere(choices[0] ?? '')
        setConfirmation((c) => (c.step === 'choosing' ? { step: 'choosing', bins: choices } : c))
      },
      (error: unknown) => setConfirmation({ step: 'failed', error }),
    )
  }

  return (
    <div class={`bin-answer${bin === null ? ' bin-answer--none' : ''}`} data-testid="bin-answer">
      <h2 ref={headline} tabIndex={-1} class="bin-answer__headline">
        {bin !== null ? (
          <>
            <span class="bin-answer__lead">Put it in</span>{' '}
            <span class="bin-answer__bin" data-testid="bin-label">
              {bin}
            </span>
          </>
        ) : (
          <span class="bin-answer__lead">
            {prediction.binReason === 'needs_review' ? 'Hold on' : 'No bin'}
          </span>
        )}
      </h2>
      {bin === null && <p class="bin-answer__reason">{describeNoBin(prediction.binReason, label, site)}</p>}
      {site !== null && <p class="bin-answer__site muted">Site {site}</p>}
      {confirmation.step === 'done' && (
        <p class="bin-answer__confirmed" role="status">
          <Icon node={Check} />
          {confirmation.putAway.outcome === 'shelved'
            ? `Shelved in ${confirmation.putAway.bin}`
            : `Shelved elsewhere: bin ${confirmation.putAway.bin}`}
        </p>
      )}
      {confirmation.step === 'failed' && <ErrorMessage error={confirmation.error} />}
      {confirmation.step === 'choosing' && (
        <form
          class="bin-answer__elsewhere"
          onSubmit={(event) => {
            event.preventDefault()
            if (elsewhere !== '') confirm(elsewhere)
          }}
        >
          {confirmation.bins === null ? (
            <p class="loading" role="status">
              Loading the site’s bins…
            </p>
          ) : confirmation.bins.length === 0 ? (
            <p class="hint">This site has no other bin.</p>
          ) : (
            <>
              <label for={`elsewhere-${prediction.id}`}>Bin it went in</label>
              <select
                id={`elsewhere-${prediction.id}`}
                value={elsewhere}
                onChange={(event) => setElsewhere(event.currentTarget.value)}
              >
                {confirmation.bins.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
              <button type="submit" class="button">
                Confirm bin
              </button>
            </>
          )}
          <button type="button" class="button button--link" onClick={() => setConfirmation({ step: 'idle' })}>
            Cancel
          </button>
        </form>
      )}
      <div class="button-row bin-answer__actions">
        {isShelvable && bin !== null && (confirmation.step === 'idle' || confirmation.step === 'failed') && (
          <button type="button" class="button button--primary" onClick={() => confirm()}>
            <Icon node={Check} /> Shelved in {bin}
          </button>
        )}
        {isShelvable && site !== null && (confirmation.step === 'idle' || confirmation.step === 'failed') && (
          <button type="button" class="button" onClick={chooseElsewhere}>
            {bin === null ? 'Shelved in a bin…' : 'Shelved elsewhere…'}
          </button>
        )}
        <FileButton
          accept="image/*"
          capture="environment"
          class="bin-answer__next"
          testId="scan-next-input"
          inputRef={scanNext}
          onFile={onScanNext}
        >
          <Icon node={Camera} /> Scan next ball
        </FileButton>
      </div>
    </div>
  )
}
