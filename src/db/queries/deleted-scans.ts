import { eq, lt, sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import {
  corrections,
  deletedScans,
  predictions,
  putAways,
  type CorrectionRow,
  type PredictionRow,
  type PutAwayRow,
} from '../schema.js'

/** How long a deleted scan can be restored; older ones are purged by the next delete. */
export const DELETED_SCAN_RETENTION_DAYS = 30

/** A row as it comes back from jsonb: dates are ISO strings there. */
type Stored<Row> = Omit<Row, 'createdAt'> & { createdAt: string }

/**
 * Deletes one scan with its corrections and put-aways (stock forgets it at once), keeping all three in
 * deleted_scans so restorePrediction can undo it. False when there is no such scan.
 */
export async function deletePrediction(
  db: Database,
  id: string,
  deletedBy: string | null = null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(predictions).where(eq(predictions.id, id)).for('update')
    if (!row) return false
    const rowCorrections = await tx.select().from(corrections).where(eq(corrections.predictionId, id))
    const rowPutAways = await tx.select().from(putAways).where(eq(putAways.predictionId, id))
    await tx
      .delete(deletedScans)
      .where(lt(deletedScans.deletedAt, sql`now() - make_interval(days => ${DELETED_SCAN_RETENTION_DAYS})`))
    await tx.insert(deletedScans).values({
      predictionId: id,
      prediction: row,
      corrections: rowCorrections,
      putAways: rowPutAways,
      deletedBy,
    })
    await tx.delete(predictions).where(eq(predictions.id, id))
    return true
  })
}

export type RestoreResult = 'restored' | 'not_found' | 'idempotency_key_taken'

/**
 * Puts a deleted scan back as it was: same id, time, label, corrections and put-aways, so stock and
 * History show it again. `idempotency_key_taken` when a scan sent since then reused its idempotency key
 * (the deleted one stays restorable once that is resolved).
 */
export async function restorePrediction(db: Database, id: string): Promise<RestoreResult> {
  return db.transaction(async (tx) => {
    const [trashed] = await tx
      .select()
      .from(deletedScans)
      .where(eq(deletedScans.predictionId, id))
      .for('update')
    if (!trashed) return 'not_found'
    const row = trashed.prediction as Stored<PredictionRow>
    if (row.idempotencyKey !== null) {
      const [clash] = await tx
        .select({ id: predictions.id })
        .from(predictions)
        .where(eq(predictions.idempotencyKey, row.idempotencyKey))
      if (clash) return 'idempotency_key_taken'
    }
    await tx.insert(predictions).values({ ...row, createdAt: new Date(row.createdAt) })
    const rowCorrections = trashed.corrections as Array<Stored<CorrectionRow>>
    if (rowCorrections.length > 0) {
      await tx
        .insert(corrections)
        .values(rowCorrections.map((c) => ({ ...c, createdAt: new Date(c.createdAt) })))
    }
    const rowPutAways = trashed.putAways as Array<Stored<PutAwayRow>>
    if (rowPutAways.length > 0) {
      await tx.insert(putAways).values(rowPutAways.map((p) => ({ ...p, createdAt: new Date(p.createdAt) })))
    }
    await tx.delete(deletedScans).where(eq(deletedScans.predictionId, id))
    return 'restored'
  })
}
