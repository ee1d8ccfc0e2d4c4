import { Ban } from 'lucide'
import { describeBallType } from '../lib/ball-types.js'
import type { PredictionStatus } from '../lib/prediction.js'
import { Icon } from './icon.js'

/** A disc in the ball's colour (or a "no" sign for not-a-ball): the same drawing on every machine. */
export function BallIcon({ label }: { label: string }) {
  if (label === 'not_a_ball') return <Icon node={Ban} size={16} class="ball-icon" />
  return (
    <svg
      class="icon ball-icon"
      width="16"
      height="16"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <circle
        cx="8"
        cy="8"
        r="6.5"
        fill={describeBallType(label).colour}
        stroke="currentColor"
        stroke-width="1.2"
      />
    </svg>
  )
}

export function BallLabel({ label }: { label: string }) {
  const ball = describeBallType(label)
  return (
    <span class="ball-label" title={label}>
      <BallIcon label={label} /> {ball.name}
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
