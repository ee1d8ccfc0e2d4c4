import { Package } from 'lucide'
import type { Prediction } from '../lib/prediction.js'
import { Icon } from './icon.js'

/** A History row's put-away: where the ball was shelved (confirmed), else where it should go, else why not. */
export function PutAwayCell({ item }: { item: Prediction }) {
  if (item.putAway !== null) {
    const isElsewhere = item.putAway.outcome === 'shelved_elsewhere'
    return (
      <span class="put-away" data-testid="put-away">
        <Icon node={Package} size={14} />{' '}
        {isElsewhere ? `Shelved elsewhere: ${item.putAway.bin}` : `Shelved in ${item.putAway.bin}`}
        {isElsewhere && item.putAway.expectedBin !== null && (
          <span class="hint"> (its bin: {item.putAway.expectedBin})</span>
        )}
      </span>
    )
  }
  if (item.bin !== null) return <span class="put-away muted">Goes in {item.bin}</span>
  return (
    <span class="put-away muted">
      {item.binReason === 'needs_review'
        ? 'Not shelved: needs review'
        : item.binReason === 'not_a_ball'
          ? '–'
          : 'No bin'}
    </span>
  )
}
