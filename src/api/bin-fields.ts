import { latestPutAways, listBinAssignments, type PredictionRow, type PredictionView } from '../db/index.js'
import { answerBin, currentLabel } from '../putaway/index.js'
import type { ApiContext } from './api-context.js'
import { toPrediction, type Prediction } from './routes/prediction.schemas.js'
import { toBinFields, type BinFields } from './routes/put-away.schemas.js'

/** A stored scan as answers show it: the row and where the ball goes. */
export type ScanAnswer = Prediction & BinFields

/**
 * Stored scans with their put-away fields, in their order: two queries for any number of rows (the sites'
 * assignments and the scans' latest confirmations), so a page of history costs no more than one scan.
 */
export async function toScanAnswers(
  ctx: ApiContext,
  rows: ReadonlyArray<PredictionRow | PredictionView>,
): Promise<ScanAnswer[]> {
  const sites = [...new Set(rows.map((r) => r.site).filter((s): s is string => s !== null))]
  const [assignments, putAways] = await Promise.all([
    listBinAssignments(ctx.db.db, { sites }),
    latestPutAways(
      ctx.db.db,
      rows.map((r) => r.id),
    ),
  ])
  const binOf = new Map(assignments.map((a) => [`${a.site}\u0000${a.ballLabel}`, a.binLabel]))
  return rows.map((row) => {
    const scan = { ...row, correctedLabel: 'correctedLabel' in row ? row.correctedLabel : null }
    const assigned = row.site === null ? undefined : binOf.get(`${row.site}\u0000${currentLabel(scan)}`)
    return { ...toPrediction(row), ...toBinFields(answerBin(scan, assigned), putAways.get(row.id)) }
  })
}

export async function toScanAnswer(
  ctx: ApiContext,
  row: PredictionRow | PredictionView,
): Promise<ScanAnswer> {
  const [answer] = await toScanAnswers(ctx, [row])
  if (!answer) throw new Error('no answer for a stored scan')
  return answer
}
