import { Ban, Flag, FlagOff, Tag, Trash2, Undo2 } from 'lucide'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi } from '../api-context.js'
import { describeBallType, knownBallLabels } from '../lib/ball-types.js'
import type { ApiCapabilities } from '../lib/capabilities.js'
import type { Prediction } from '../lib/prediction.js'
import {
  allowedCommands,
  applyScanCommand,
  currentLabel,
  describeScanChange,
  NOT_A_BALL,
  undoScanChange,
  type ScanChange,
  type ScanCommand,
} from '../lib/scan-changes.js'
import { Icon } from './icon.js'
import { ErrorMessage } from './status-view.js'

export interface ScanChanges {
  run: (prediction: Prediction, command: ScanCommand) => void
  undo: () => void
  last: ScanChange | null
  /** Set right after an undo, so the notice can say so. */
  undone: ScanChange | null
  isBusy: boolean
  error: unknown
}

/** Runs commands on scans one at a time and remembers the last change for Undo; `onChanged` reloads. */
export function useScanChanges(onChanged: (change: ScanChange) => void): ScanChanges {
  const api = useApi()
  const [last, setLast] = useState<ScanChange | null>(null)
  const [undone, setUndone] = useState<ScanChange | null>(null)
  const [isBusy, setIsBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const settle = (promise: Promise<void>) => {
    setIsBusy(true)
    setError(null)
    promise.then(
      () => setIsBusy(false),
      (err: unknown) => {
        setIsBusy(false)
        setError(err)
      },
    )
  }
  return {
    last,
    undone,
    isBusy,
    error,
    run(prediction, command) {
      if (isBusy) return
      if (command.kind === 'delete') {
        const question = `Delete the scan ${prediction.filename}? It leaves stock and history until you undo it.`
        if (!window.confirm(question)) return
      }
      settle(
        applyScanCommand(api, prediction, command).then((change) => {
          setLast(change)
          setUndone(null)
          onChanged(change)
        }),
      )
    },
    undo() {
      if (last === null || isBusy) return
      const change = last
      settle(
        undoScanChange(api, change).then(() => {
          setLast(null)
          setUndone(change)
          onChanged(change)
        }),
      )
    },
  }
}

/** What the last action did, with Undo; focus moves to Undo so a keyboard user can take it back at once. */
export function ChangeNotice({ changes }: { changes: ScanChanges }) {
  const undoButton = useRef<HTMLButtonElement>(null)
  const focused = useRef<ScanChange | null>(null)
  const { last, undone, isBusy } = changes
  useEffect(() => {
    // Once per change, after the button is enabled again (a disabled button cannot take focus).
    if (last === null || isBusy || focused.current === last) return
    focused.current = last
    undoButton.current?.focus()
  }, [last, isBusy])
  return (
    <div class="change-notice" data-testid="change-notice">
      <p role="status" class="change-notice__text">
        {last !== null
          ? describeScanChange(last)
          : undone !== null
            ? `Undone: ${describeScanChange(undone)}`
            : ''}
      </p>
      {last !== null && (
        <button
          ref={undoButton}
          type="button"
          class="button"
          disabled={changes.isBusy}
          onClick={changes.undo}
        >
          <Icon node={Undo2} /> Undo
        </button>
      )}
      {changes.error !== null && <ErrorMessage error={changes.error} />}
    </div>
  )
}

/**
 * Correct the label, mark "not a ball", flag or unflag for review, delete: the buttons the caller's role
 * allows (reviewer corrects and flags, admin also deletes). Nothing for a viewer.
 */
export function ScanActions({
  prediction,
  capabilities,
  changes,
}: {
  prediction: Prediction
  capabilities: ApiCapabilities
  changes: ScanChanges
}) {
  const { canReview, canDelete } = allowedCommands(capabilities)
  const counted = currentLabel(prediction)
  const choices = knownBallLabels().filter((label) => label !== counted)
  const [label, setLabel] = useState(choices[0] ?? '')
  // Admin includes reviewer, so a key that may delete may also correct.
  if (!canReview) return null
  const selectId = `correct-${prediction.id}`
  const run = (command: ScanCommand) => changes.run(prediction, command)
  return (
    <div class="scan-actions" role="group" aria-label={`Actions for ${prediction.filename}`}>
      {canReview && (
        <>
          <form
            class="scan-actions__correct"
            onSubmit={(event) => {
              event.preventDefault()
              if (label !== '') run({ kind: 'correct', label })
            }}
          >
            <label for={selectId}>Right ball type</label>
            <select id={selectId} value={label} onChange={(event) => setLabel(event.currentTarget.value)}>
              {choices.map((choice) => (
                <option key={choice} value={choice}>
                  {describeBallType(choice).name}
                </option>
              ))}
            </select>
            <button type="submit" class="button" disabled={changes.isBusy}>
              <Icon node={Tag} /> Correct
            </button>
          </form>
          <div class="button-row">
            {counted !== NOT_A_BALL && (
              <button
                type="button"
                class="button"
                disabled={changes.isBusy}
                onClick={() => run({ kind: 'correct', label: NOT_A_BALL })}
              >
                <Icon node={Ban} /> Not a ball
              </button>
            )}
            <button
              type="button"
              class="button"
              disabled={changes.isBusy}
              onClick={() => run({ kind: 'flag', isFlagged: !prediction.isFlagged })}
            >
              {prediction.isFlagged ? (
                <>
                  <Icon node={FlagOff} /> Unflag
                </>
              ) : (
                <>
                  <Icon node={Flag} /> Flag for review
                </>
              )}
            </button>
            {canDelete && (
              <button
                type="button"
                class="button button--danger"
                disabled={changes.isBusy}
                onClick={() => run({ kind: 'delete' })}
              >
                <Icon node={Trash2} /> Delete
              </button>
            )}
          </div>
        </>
      )}
    </div>
  )
}
