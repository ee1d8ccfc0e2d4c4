import { useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { BallLabel } from '../components/ball-label.js'
import { ConfusionTable } from '../components/confusion-table.js'
import { ThresholdTable } from '../components/threshold-table.js'
import { AsyncView, ErrorMessage } from '../components/status-view.js'
import type { ApiCapabilities } from '../lib/capabilities.js'
import { formatDateTime, formatPercent } from '../lib/format.js'
import { formatMetric, metricName } from '../lib/metric-format.js'
import type { ModelVersion } from '../lib/models.js'
import { useAsync } from '../use-async.js'
import { RetrainPanel } from './retrain-panel.js'

function PromoteButton({
  model,
  capabilities,
  onPromoted,
}: {
  model: ModelVersion
  capabilities: ApiCapabilities
  onPromoted: () => void
}) {
  const api = useApi()
  const [isBusy, setIsBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  if (model.isProduction) return null
  const isSupported = capabilities.promote !== null
  return (
    <div class="promote">
      <button
        type="button"
        class="button"
        disabled={!isSupported || isBusy}
        aria-describedby={isSupported ? undefined : `promote-hint-${model.ref}`}
        onClick={() => {
          if (!window.confirm(`Make ${model.ref} the production model? New scans will use it.`)) return
          setIsBusy(true)
          setError(null)
          api.promote(model, capabilities).then(
            () => {
              setIsBusy(false)
              onPromoted()
            },
            (err: unknown) => {
              setIsBusy(false)
              setError(err)
            },
          )
        }}
      >
        {isBusy ? 'Promoting…' : 'Promote to production'}
      </button>
      {!isSupported && (
        <p class="hint" id={`promote-hint-${model.ref}`}>
          This server cannot promote models yet; use <code>sportscan models promote</code>.
        </p>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </div>
  )
}

/** The artifact's README (model card), fetched with the API key and shown as text when opened. */
function ModelCardLink({ url, modelRef }: { url: string; modelRef: string }) {
  const api = useApi()
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  return (
    <details
      onToggle={(event) => {
        if (!event.currentTarget.open || text !== null) return
        api.download(url).then(
          (blob) => blob.text().then(setText),
          (err: unknown) => setError(err),
        )
      }}
    >
      <summary>Model card</summary>
      {error !== null && <ErrorMessage error={error} />}
      {text === null ? (
        error === null && <p class="loading">Loading the model card of {modelRef}…</p>
      ) : (
        <pre class="model-card-text" data-testid="model-card-text">
          {text}
        </pre>
      )}
    </details>
  )
}

function ModelCard({
  model,
  capabilities,
  onPromoted,
}: {
  model: ModelVersion
  capabilities: ApiCapabilities
  onPromoted: () => void
}) {
  const perClass = Object.entries(model.perClassF1)
  const others = Object.entries(model.otherMetrics)
  return (
    <article class={`card model${model.isProduction ? ' model--production' : ''}`} data-testid="model-card">
      <header class="model__header">
        <h2>
          {model.name}{' '}
          <span class="muted">{/^\d+$/.test(model.version) ? `v${model.version}` : model.version}</span>
        </h2>
        <ul class="tags" aria-label="Aliases">
          {model.isServing && <li class="badge badge--info">● serving now</li>}
          {model.origin !== 'registry' && (
            <li class="badge" data-testid="model-origin">
              {model.origin === 'bundled' ? 'bundled with the app' : 'from a folder'}
            </li>
          )}
          {model.aliases.map((alias) => (
            <li key={alias} class={`badge ${alias === 'production' ? 'badge--ok' : ''}`}>
              {alias === 'production' ? '★ production' : alias}
            </li>
          ))}
        </ul>
      </header>
      <p class="muted">
        {[
          model.architecture,
          model.datasetVersion === null ? null : `dataset ${model.datasetVersion}`,
          model.createdAt === null ? null : `registered ${formatDateTime(model.createdAt)}`,
        ]
          .filter((part) => part !== null)
          .join(' · ')}
      </p>
      <dl class="tiles">
        <div class="tile">
          <dt>Accuracy</dt>
          <dd>{formatPercent(model.accuracy)}</dd>
        </div>
        <div class="tile">
          <dt>Macro F1</dt>
          <dd>{formatPercent(model.macroF1)}</dd>
        </div>
      </dl>
      {others.length > 0 && (
        <dl class="facts">
          {others.map(([key, value]) => [
            <dt key={`${key}-k`}>{metricName(key)}</dt>,
            <dd key={key}>{formatMetric(key, value)}</dd>,
          ])}
        </dl>
      )}
      {perClass.length > 0 && (
        <details>
          <summary>F1 per ball type</summary>
          <table class="table">
            <tbody>
              {perClass
                .sort((a, b) => a[1] - b[1])
                .map(([label, f1]) => (
                  <tr key={label}>
                    <th scope="row">
                      <BallLabel label={label} />
                    </th>
                    <td class="num">{formatPercent(f1)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </details>
      )}
      {model.thresholds.length > 0 && (
        <details>
          <summary>Review threshold trade-off</summary>
          <ThresholdTable rows={model.thresholds} />
        </details>
      )}
      {model.confusion !== null && !model.images.some((image) => /confusion/i.test(image.title)) && (
        <details>
          <summary>Confusion matrix</summary>
          <ConfusionTable matrix={model.confusion} />
        </details>
      )}
      {model.images.length > 0 && (
        <div class="model__images">
          {model.images.map((image) => (
            <figure key={image.url}>
              <a href={image.url} target="_blank" rel="noopener">
                <img src={image.url} alt={`${image.title} of ${model.ref}`} loading="lazy" />
              </a>
              <figcaption>{image.title}</figcaption>
            </figure>
          ))}
        </div>
      )}
      {model.modelCardUrl !== null && <ModelCardLink url={model.modelCardUrl} modelRef={model.ref} />}
      {model.origin === 'registry' ? (
        <PromoteButton model={model} capabilities={capabilities} onPromoted={onPromoted} />
      ) : (
        <p class="hint">
          Not in the registry: it serves until a registered model is promoted to production (
          <code>sportscan pipeline run</code>, then promote it here).
        </p>
      )}
    </article>
  )
}

export function ModelsPage() {
  const api = useApi()
  const [models, reload] = useAsync(() => Promise.all([api.models(), api.capabilities()]), [api])
  return (
    <>
      <h1>Models</h1>
      <RetrainPanel onDecided={reload} />
      <AsyncView state={models} what="models" onRetry={reload}>
        {([list, capabilities]) =>
          list.length === 0 ? (
            <p class="empty card">
              No model is serving and none is registered. Train one with <code>sportscan pipeline run</code>.
            </p>
          ) : (
            list.map((model) => (
              <ModelCard key={model.ref} model={model} capabilities={capabilities} onPromoted={reload} />
            ))
          )
        }
      </AsyncView>
    </>
  )
}
