import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { AsyncView, ErrorMessage } from '../components/status-view.js'
import { formatDateTime, formatPercent } from '../lib/format.js'
import type { GateDecision, RetrainStatus } from '../lib/review.js'
import { useAsync } from '../use-async.js'

/** How often the panel asks for progress while a retraining runs. */
const POLL_MS = 3000

function DecisionTable({ decisions }: { decisions: readonly GateDecision[] }) {
  if (decisions.length === 0) return <p class="empty">No retraining decision recorded yet.</p>
  return (
    <div class="table-scroll">
      <table class="table" data-testid="gate-decisions">
        <caption>Gate decisions (test split: not worse; held-out corrected scans: better)</caption>
        <thead>
          <tr>
            <th scope="col">Candidate</th>
            <th scope="col">Decision</th>
            <th scope="col" class="num">
              Test split
            </th>
            <th scope="col" class="num">
              Held-out corrected scans
            </th>
            <th scope="col">Against</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={d.id} title={d.reason}>
              <th scope="row">{d.candidateRef}</th>
              <td>
                <span class={`badge ${d.decision === 'promoted' ? 'badge--ok' : 'badge--warn'}`}>
                  {d.decision}
                </span>
              </td>
              <td class="num">
                {formatPercent(d.candidateTestAccuracy)} vs {formatPercent(d.baselineTestAccuracy)} (n=
                {d.testCount})
              </td>
              <td class="num">
                {formatPercent(d.candidateFeedbackAccuracy)} vs {formatPercent(d.baselineFeedbackAccuracy)}{' '}
                (n=
                {d.feedbackCount})
              </td>
              <td>{d.baselineRef ?? '—'}</td>
              <td>{formatDateTime(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Panel({ status, onChanged }: { status: RetrainStatus; onChanged: () => void }) {
  const api = useApi()
  const [error, setError] = useState<unknown>(null)
  const job = status.job
  const isRunning = job?.state === 'running'
  useEffect(() => {
    if (!isRunning) return
    const timer = setInterval(onChanged, POLL_MS)
    return () => clearInterval(timer)
  }, [isRunning, onChanged])
  return (
    <>
      <div class="button-row">
        <button
          type="button"
          class="button button--primary"
          disabled={!status.isAvailable || isRunning}
          onClick={() => {
            setError(null)
            api.startRetrain().then(onChanged, setError)
          }}
        >
          {isRunning ? 'Retraining…' : 'Retrain on corrected scans'}
        </button>
      </div>
      {!status.isAvailable && (
        <p class="hint">
          Not set up on this server: set <code>SPORTSCAN_RETRAIN_SPLIT</code>, or run{' '}
          <code>sportscan retrain --split-file …</code>.
        </p>
      )}
      {error !== null && <ErrorMessage error={error} />}
      {job !== null && (
        <div data-testid="retrain-job">
          <p>
            Last run: <strong>{job.state}</strong>
            {job.outcome && ` — ${job.outcome.candidateRef} ${job.outcome.decision}: ${job.outcome.reason}`}
            {job.error !== null && ` — ${job.error}`}
          </p>
          {job.lines.length > 0 && <pre class="log">{job.lines.slice(-8).join('\n')}</pre>}
        </div>
      )}
      <DecisionTable decisions={status.decisions} />
    </>
  )
}

/** Retraining from the corrected scans: a button, the running job's progress, and the gate's decisions. */
export function RetrainPanel({ onDecided }: { onDecided: () => void }) {
  const api = useApi()
  const [status, reload] = useAsync(() => api.retrainStatus(), [api])
  const isRunning = status.status === 'ok' && status.data.job?.state === 'running'
  const wasRunning = useRef(false)
  useEffect(() => {
    // A job that just finished may have moved the production alias: the model cards reload then.
    if (wasRunning.current && !isRunning && status.status === 'ok') onDecided()
    if (status.status === 'ok') wasRunning.current = isRunning
  }, [isRunning, status.status, onDecided])
  return (
    <section class="card" aria-labelledby="retrain-title">
      <h2 id="retrain-title">Retraining</h2>
      <AsyncView state={status} what="retraining" onRetry={reload}>
        {(data) => <Panel status={data} onChanged={reload} />}
      </AsyncView>
    </section>
  )
}
