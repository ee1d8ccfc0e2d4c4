import { describeBallType } from '../lib/ball-types.js'
import type { PredictionStatus } from '../lib/prediction.js'

export function BallLabel({ label }: { label: string }) {
  const ball = describeBallType(label)
  return (
    <span class="ball-label" title={label}>
      <span class="ball-label__icon" aria-hidden="true">
        {ball.icon}
      </span>{' '}
      {ball.name}
    </span>
  )
}

export function StatusBadge({ status }: { status: PredictionStatus }) {
  return status === 'needs_review' ? (
    <span class="badge badge--warn">Needs review</span>
  ) : (
    <span class="badge badge--ok">Counted</span>
  )
}
