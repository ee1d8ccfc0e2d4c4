import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { BallLabel, StatusBadge } from '../components/ball-label.js'
import { BinAnswer } from '../components/bin-answer.js'
import { ProbabilityBars } from '../components/probability-bars.js'
import { SiteField, readSavedSite } from '../components/site-field.js'
import { ChangeNotice, ScanActions, useScanChanges, type ScanChanges } from '../components/scan-actions.js'
import { ErrorMessage } from '../components/status-view.js'
import type { ApiCapabilities } from '../lib/capabilities.js'
import { formatDateTime, formatPercent } from '../lib/format.js'
import { topScores, type Prediction } from '../lib/prediction.js'
import { useAsync } from '../use-async.js'
import { PhotoPicker } from './photo-picker.js'

type ScanState =
  | { step: 'idle' }
  | { step: 'uploading'; photoUrl: string; filename: string }
  | { step: 'done'; photoUrl: string; prediction: Prediction }
  | { step: 'failed'; photoUrl: string | null; filename: string; error: unknown }

const LOCATION_KEY = 'sportscan.location'

function readSavedLocation(): string {
  try {
    return window.localStorage.getItem(LOCATION_KEY) ?? ''
  } catch {
    return '' // storage blocked: start with an empty location
  }
}

function saveLocation(location: string): void {
  try {
    window.localStorage.setItem(LOCATION_KEY, location)
  } catch {
    // storage blocked: the field still works for this visit
  }
}

/** Object URL of the Grad-CAM overlay for a prediction, or null while loading / when the server has none. */
function useExplanation(predictionId: string | null): string | null {
  const api = useApi()
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    setUrl(null)
    if (predictionId === null) return
    let objectUrl: string | null = null
    let isCurrent = true
    api.explanation(predictionId).then(
      (blob) => {
        if (!isCurrent || blob === null) return
        objectUrl = URL.createObjectURL(blob)
        setUrl(objectUrl)
      },
      () => {
        // The heatmap is an extra: the prediction itself is already shown, so a failure only hides it.
      },
    )
    return () => {
      isCurrent = false
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl)
    }
  }, [api, predictionId])
  return url
}

function ResultCard({
  prediction,
  photoUrl,
  onScanNext,
  capabilities,
  changes,
}: {
  prediction: Prediction
  photoUrl: string
  onScanNext: (file: File) => void
  capabilities: ApiCapabilities | null
  changes: ScanChanges
}) {
  const heatmapUrl = useExplanation(prediction.id)
  const card = useRef<HTMLElement>(null)
  useEffect(() => {
    // On a phone the answer lands below the fold, under the picker: bring it into view.
    card.current?.scrollIntoView({ block: 'nearest' })
  }, [prediction.id])
  return (
    <section ref={card} class="card result result--done" aria-labelledby="result-title" aria-live="polite">
      <BinAnswer prediction={prediction} onScanNext={onScanNext} />
      <div class="result__summary">
        <h2 id="result-title" class="result__label" data-testid="predicted-label">
          <BallLabel label={prediction.predictedLabel} />
        </h2>
        <p class="result__meta">
          <span class="result__confidence">{formatPercent(prediction.confidence)} confident</span>{' '}
          <StatusBadge status={prediction.status} />
          {prediction.isFlagged && <span class="badge badge--warn">Flagged</span>}
        </p>
        {prediction.correctedLabel !== null && (
          <p class="corrected-note" data-testid="corrected-label">
            Counted as <BallLabel label={prediction.correctedLabel} /> (corrected)
          </p>
        )}
        {prediction.status === 'needs_review' && (
          <p class="hint">The model is unsure about this photo; a person should check it before it counts.</p>
        )}
        <h3>Top 5</h3>
        <ProbabilityBars scores={topScores(prediction.allScores, 5)} />
        <dl class="facts">
          <dt>Model</dt>
          <dd>{prediction.model}</dd>
          <dt>Location</dt>
          <dd>{prediction.location ?? '–'}</dd>
          <dt>Scanned</dt>
          <dd>{formatDateTime(prediction.createdAt)}</dd>
          <dt>File</dt>
          <dd class="facts__wrap">{prediction.filename}</dd>
        </dl>
        {capabilities !== null && (
          <>
            <h3>Wrong answer?</h3>
            <ScanActions prediction={prediction} capabilities={capabilities} changes={changes} />
          </>
        )}
      </div>
      <div class="result__images">
        <figure>
          <img class="result__photo" src={photoUrl} alt={`Scanned photo ${prediction.filename}`} />
          <figcaption>Your photo</figcaption>
        </figure>
        {heatmapUrl !== null && (
          <figure>
            <img
              class="result__photo"
              src={heatmapUrl}
              alt="Heatmap of the parts of the photo the model looked at"
              data-testid="heatmap"
            />
            <figcaption>What the model looked at (Grad-CAM)</figcaption>
          </figure>
        )}
      </div>
    </section>
  )
}

/** One line above the picker: which model answers, or a warning that none can. */
function ServiceNotice() {
  const api = useApi()
  const [status] = useAsync(() => api.health(), [api])
  if (status.status !== 'ok') return null
  if (!status.data.isModelLoaded) {
    return (
      <p class="alert alert--warn" role="status">
        No model is loaded yet, so scans cannot be recognised. Promote a trained model (Models page or{' '}
        <code>sportscan models promote</code>) and try again.
      </p>
    )
  }
  return status.data.model === null ? null : <p class="muted">Recognising with model {status.data.model}.</p>
}

export function ScanPage() {
  const api = useApi()
  const [location, setLocation] = useState(readSavedLocation)
  const [site, setSite] = useState(readSavedSite)
  const [state, setState] = useState<ScanState>({ step: 'idle' })
  const [capabilities] = useAsync(() => api.capabilities(), [api])
  const changes = useScanChanges((change) => {
    if (change.kind === 'delete') {
      setState({ step: 'idle' })
      return
    }
    // Show the scan as it stands now (its corrected label, its flag).
    api.prediction(change.predictionId).then(
      (prediction) =>
        setState((current) =>
          current.step === 'done' && current.prediction.id === prediction.id
            ? { ...current, prediction }
            : current,
        ),
      () => {
        // The change itself succeeded and the notice says so; the card keeps its older view.
      },
    )
  })

  const photoUrl = state.step === 'idle' ? null : state.photoUrl
  useEffect(() => {
    return () => {
      if (photoUrl !== null) URL.revokeObjectURL(photoUrl)
    }
  }, [photoUrl])

  const scan = (file: File) => {
    const url = URL.createObjectURL(file)
    setState({ step: 'uploading', photoUrl: url, filename: file.name })
    api.predict(file, file.name, location, site).then(
      (prediction) => setState({ step: 'done', photoUrl: url, prediction }),
      (error: unknown) => {
        // No preview of a refused file: the browser often cannot draw it either (HEIC, a corrupt file), and
        // a broken-image icon says nothing; the server's reason does.
        URL.revokeObjectURL(url)
        setState({ step: 'failed', photoUrl: null, filename: file.name, error })
      },
    )
  }

  return (
    <>
      <h1>Scan a ball</h1>
      <ServiceNotice />
      <section class="card">
        <PhotoPicker onPick={scan} disabled={state.step === 'uploading'} />
        <div class="field">
          <label for="scan-location">Location (optional)</label>
          <input
            id="scan-location"
            type="text"
            placeholder="e.g. Aisle 3, shelf B"
            value={location}
            onInput={(event) => {
              setLocation(event.currentTarget.value)
              saveLocation(event.currentTarget.value)
            }}
          />
          <p class="hint">Where the ball is stored; kept for your next scans.</p>
        </div>
        <SiteField value={site} onChange={setSite} />
      </section>
      {state.step === 'uploading' && (
        <section class="card result" aria-busy="true">
          <div class="result__images">
            <figure>
              <img
                class="result__photo"
                src={state.photoUrl}
                alt={`Photo being scanned: ${state.filename}`}
              />
            </figure>
          </div>
          <p class="loading" role="status">
            Recognising the ball…
          </p>
        </section>
      )}
      {state.step === 'failed' && (
        <section class="card" aria-labelledby="scan-failed-title">
          <h2 id="scan-failed-title">Could not scan “{state.filename}”</h2>
          <ErrorMessage error={state.error} />
          <p class="hint">Nothing was stored. Choose another photo above to try again.</p>
        </section>
      )}
      <ChangeNotice changes={changes} />
      {state.step === 'done' && (
        <ResultCard
          prediction={state.prediction}
          photoUrl={state.photoUrl}
          onScanNext={scan}
          capabilities={capabilities.status === 'ok' ? capabilities.data : null}
          changes={changes}
        />
      )}
    </>
  )
}
