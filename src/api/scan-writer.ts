import {
  insertPredictions,
  type Database,
  type InsertPredictionResult,
  type NewPredictionRow,
} from '../db/index.js'
import { MicroBatcher } from './inference/micro-batcher.js'

/**
 * Writes scans the way inference runs them: rows whose answers are ready in the same event-loop turn (one
 * micro-batch of inference, or one batch upload) go in one multi-row INSERT, one round trip and one commit
 * instead of one per scan. Each caller still gets its own row (or its own error: a failed batch is retried
 * row by row) only after the statement committed, so a 200 never goes out for a row that is not stored.
 */
export class ScanWriter {
  private readonly batcher: MicroBatcher<NewPredictionRow, InsertPredictionResult>

  constructor(db: Database, options: { maxBatchSize?: number } = {}) {
    this.batcher = new MicroBatcher({
      run: (rows) => insertPredictions(db, rows),
      maxBatchSize: options.maxBatchSize ?? 64,
      // 0: only what is ready in this turn shares a statement; no scan waits for company.
      windowMs: 0,
      // Several statements at once: a slow commit does not hold back the next batch's rows.
      maxInFlight: 4,
    })
  }

  insert(row: NewPredictionRow): Promise<InsertPredictionResult> {
    return this.batcher.submit(row)
  }

  /** Lets queued rows commit (called as the server closes). */
  close(): Promise<void> {
    return this.batcher.close()
  }
}
