import { BallIcon } from './ball-label.js'
import { describeBallType } from '../lib/ball-types.js'
import { formatPercent } from '../lib/format.js'
import type { ScoredLabel } from '../lib/prediction.js'

/** Top-k probabilities as horizontal bars; each is a labelled <meter>-like row readable without the bar. */
export function ProbabilityBars({ scores }: { scores: readonly ScoredLabel[] }) {
  return (
    <ol class="prob-bars" aria-label="Most likely ball types">
      {scores.map(({ label, probability }) => {
        const ball = describeBallType(label)
        return (
          <li key={label} class="prob-bars__row">
            <span class="prob-bars__name">
              <BallIcon label={ball.label} /> {ball.name}
            </span>
            <span class="prob-bars__track" aria-hidden="true">
              <span class="prob-bars__fill" style={{ width: formatPercent(probability, 2) }} />
            </span>
            <span class="prob-bars__value">{formatPercent(probability)}</span>
          </li>
        )
      })}
    </ol>
  )
}
