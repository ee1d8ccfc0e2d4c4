import { and, desc, eq } from 'drizzle-orm'
import type { Database } from '../client.js'
import { corrections, predictions, type CorrectionRow } from '../schema.js'

/** A reviewer's label for a scan that is not a ball at all; it takes the scan out of stock. */
export const NOT_A_BALL = 'not_a_ball'

/**
 * Records a correction of one prediction: the old label is what the scan counted as until now (the last
 * correction, else the model's label). The prediction row is locked so two reviewers correcting the same scan
 * at once record a consistent old -> new chain. Undefined when the prediction does not exist.
 */
export async function correctPrediction(
  db: Database,
  input: { predictionId: string; newLabel: string; correctedBy: string | null },
): Promise<CorrectionRow | undefined> {
  return db.transaction(async (tx) => {
    const [prediction] = await tx
      .select({ predictedLabel: predictions.predictedLabel })
      .from(predictions)
      .where(eq(predictions.id, input.predictionId))
      .for('update')
    if (!prediction) return undefined
    const [previous] = await tx
      .select({ newLabel: corrections.newLabel })
      .from(corrections)
      .where(eq(corrections.predictionId, input.predictionId))
      .orderBy(desc(corrections.createdAt), desc(corrections.id))
      .limit(1)
    const [row] = await tx
      .insert(corrections)
      .values({
        predictionId: input.predictionId,
        oldLabel: previous?.newLabel ?? prediction.predictedLabel,
        newLabel: input.newLabel,
        correctedBy: input.correctedBy,
      })
      .returning()
    // A person has now looked at the scan: it leaves the review queue whatever brought it there.
    await tx.update(predictions).set({ isFlagged: false }).where(eq(predictions.id, input.predictionId))
    return row
  })
}

/** Every correction of one prediction, oldest first (history shows the chain). */
export async function listCorrections(db: Database, predictionId: string): Promise<CorrectionRow[]> {
  return db
    .select()
    .from(corrections)
    .where(eq(corrections.predictionId, predictionId))
    .orderBy(corrections.createdAt, corrections.id)
}

/** What undoing a correction found: only a scan's latest correction can be undone. */
export type UndoCorrectionResult = 'undone' | 'no_prediction' | 'not_found' | 'not_latest'

/**
 * Undoes a scan's latest correction (the dashboard's undo): the row goes, so the scan counts as it did
 * before, and the flag it had is restored. Locked like correctPrediction, so a concurrent correction is
 * never undone by mistake.
 */
export async function undoCorrection(
  db: Database,
  input: { predictionId: string; correctionId: number; wasFlagged: boolean },
): Promise<UndoCorrectionResult> {
  return db.transaction(async (tx) => {
    const [prediction] = await tx
      .select({ id: predictions.id })
      .from(predictions)
      .where(eq(predictions.id, input.predictionId))
      .for('update')
    if (!prediction) return 'no_prediction'
    const [latest] = await tx
      .select({ id: corrections.id })
      .from(corrections)
      .where(eq(corrections.predictionId, input.predictionId))
      .orderBy(desc(corrections.createdAt), desc(corrections.id))
      .limit(1)
    if (latest === undefined) return 'not_found'
    if (latest.id !== input.correctionId) {
      const [exists] = await tx
        .select({ id: corrections.id })
        .from(corrections)
        .where(and(eq(corrections.predictionId, input.predictionId), eq(corrections.id, input.correctionId)))
      return exists ? 'not_latest' : 'not_found'
    }
    await tx.delete(corrections).where(eq(corrections.id, input.correctionId))
    if (input.wasFlagged) {
      await tx.update(predictions).set({ isFlagged: true }).where(eq(predictions.id, input.predictionId))
    }
    return 'undone'
  })
}
