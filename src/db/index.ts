export {
  openDatabase,
  type Database,
  type DatabaseHandle,
  type Queryable,
  type Transaction,
} from './client.js'
export { DatabaseUnavailableError, MigrationFailedError, PgliteInUseError } from './errors.js'
export * as tables from './schema.js'
export type * from './schema.js'
// Named queries: the only way other concerns touch the tables.
export * from './queries/api-keys.js'
export * from './queries/bins.js'
export * from './queries/corrections.js'
export * from './queries/deleted-scans.js'
export * from './queries/datasets.js'
export * from './queries/drift.js'
export * from './queries/feedback.js'
export * from './queries/gate-decisions.js'
export * from './queries/models.js'
export * from './queries/pipeline-runs.js'
export * from './queries/prediction-stats.js'
export * from './queries/predictions.js'
export * from './queries/put-aways.js'
export * from './queries/review-queue.js'
export * from './queries/stock.js'
