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
export { insertDatasetRow, findDatasetRow, listDatasetRows, type NewDatasetRow } from './queries/datasets.js'
export { NOT_A_BALL, correctPrediction, listCorrections } from './queries/corrections.js'
export { listFeedback, type FeedbackItem } from './queries/feedback.js'
export { insertGateDecision, listGateDecisions } from './queries/gate-decisions.js'
