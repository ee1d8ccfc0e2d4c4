import { BALL_LABELS } from '../../data/index.js'
import type { ApiContext } from '../api-context.js'
import { FieldInvalidError } from '../errors.js'

/**
 * Refuses a `label` filter no model answers with, rather than answering an empty page that looks like "no
 * such scans": the known labels are the canonical list plus the served model's (a newer model may add some).
 */
export function checkLabelFilter(ctx: ApiContext, label: string | undefined): void {
  if (label === undefined) return
  const known = new Set<string>([...BALL_LABELS, ...(ctx.models.current()?.classifier.labels ?? [])])
  if (!known.has(label)) {
    throw new FieldInvalidError(
      'label',
      `"${label}" is not a ball type; use one of: ${[...known].sort().join(', ')}`,
    )
  }
}
