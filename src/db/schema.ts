import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

/** One row per imported dataset version; the manifest itself lives under SPORTSCAN_HOME/datasets. */
export const datasets = pgTable('datasets', {
  version: text('version').primaryKey(),
  source: text('source').notNull(),
  imageCount: integer('image_count').notNull(),
  classCounts: jsonb('class_counts').$type<Record<string, number>>().notNull(),
  parentVersion: text('parent_version'),
  createdAt: createdAt(),
})

export const models = pgTable(
  'models',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    artifactPath: text('artifact_path').notNull(),
    architecture: text('architecture').notNull(),
    datasetVersion: text('dataset_version'),
    split: jsonb('split').$type<Record<string, unknown>>(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    codeVersion: text('code_version'),
    trainingSeconds: doublePrecision('training_seconds'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('models_name_version_uq').on(t.name, t.version)],
)

export const modelAliases = pgTable(
  'model_aliases',
  {
    name: text('name').notNull(),
    alias: text('alias').notNull(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.name, t.alias] })],
)

export const pipelineRuns = pgTable('pipeline_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  pipeline: text('pipeline').notNull(),
  status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  steps: jsonb('steps').$type<Record<string, unknown>[]>().notNull().default([]),
  metrics: jsonb('metrics').$type<Record<string, unknown>>(),
  error: text('error'),
  startedAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
})

export const predictions = pgTable(
  'predictions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    filename: text('filename').notNull(),
    predictedLabel: text('predicted_label').notNull(),
    confidence: real('confidence').notNull(),
    allScores: jsonb('all_scores').$type<Record<string, number>>().notNull(),
    model: text('model').notNull(),
    location: text('location'),
    /** Site whose bin assignments answered the scan; null on scans stored before put-away existed. */
    site: text('site'),
    source: text('source'),
    status: text('status').$type<'counted' | 'needs_review'>().notNull(),
    idempotencyKey: text('idempotency_key'),
    imageSha256: text('image_sha256').notNull(),
    imageBytes: bigint('image_bytes', { mode: 'number' }).notNull(),
    isFlagged: boolean('is_flagged').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('predictions_idempotency_key_uq')
      .on(t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('predictions_created_at_idx').on(t.createdAt.desc(), t.id.desc()),
    index('predictions_label_idx').on(t.predictedLabel, t.createdAt),
    index('predictions_status_idx').on(t.status, t.createdAt),
    index('predictions_location_idx').on(t.location, t.createdAt),
    // The review queue reads flagged scans; few are, so a partial index stays tiny.
    index('predictions_flagged_idx')
      .on(t.createdAt)
      .where(sql`${t.isFlagged}`),
  ],
)

export const corrections = pgTable(
  'corrections',
  {
    id: serial('id').primaryKey(),
    predictionId: uuid('prediction_id')
      .notNull()
      .references(() => predictions.id, { onDelete: 'cascade' }),
    oldLabel: text('old_label').notNull(),
    /** `not_a_ball` removes the scan from stock. */
    newLabel: text('new_label').notNull(),
    correctedBy: text('corrected_by'),
    createdAt: createdAt(),
  },
  (t) => [index('corrections_prediction_idx').on(t.predictionId, t.createdAt)],
)

/** The corrected scans the gate held out of training to score both models on, and how they were picked. */
export interface GateHoldout {
  seed: number
  fraction: number
  /** Corrected scans merged into the candidate's training data. */
  trainedOn: number
  scans: Array<{ predictionId: string; label: string; sha256: string }>
}

/**
 * The retraining gate's verdict on one candidate model: both models' accuracy on the fixed test split and on
 * the held-out corrected scans (null when none were held out), and whether the candidate was promoted.
 */
export const gateDecisions = pgTable(
  'gate_decisions',
  {
    id: serial('id').primaryKey(),
    candidateModelId: integer('candidate_model_id')
      .notNull()
      .references(() => models.id),
    candidateRef: text('candidate_ref').notNull(),
    /** What the candidate had to beat (`name@version` or the bundled model's ref); null when nothing was. */
    baselineRef: text('baseline_ref'),
    decision: text('decision').$type<'promoted' | 'rejected'>().notNull(),
    reason: text('reason').notNull(),
    candidateTestAccuracy: doublePrecision('candidate_test_accuracy').notNull(),
    baselineTestAccuracy: doublePrecision('baseline_test_accuracy'),
    candidateFeedbackAccuracy: doublePrecision('candidate_feedback_accuracy'),
    baselineFeedbackAccuracy: doublePrecision('baseline_feedback_accuracy'),
    testCount: integer('test_count').notNull(),
    feedbackCount: integer('feedback_count').notNull(),
    datasetVersion: text('dataset_version').notNull(),
    feedbackSince: timestamp('feedback_since', { withTimezone: true, mode: 'date' }),
    /** Null on decisions recorded before the gate held scans out. */
    holdout: jsonb('holdout').$type<GateHoldout>(),
    createdAt: createdAt(),
  },
  (t) => [index('gate_decisions_candidate_idx').on(t.candidateModelId, t.createdAt)],
)

/** A place balls are shelved in, per site (warehouse, shop); capacity in balls, null when unlimited. */
export const bins = pgTable(
  'bins',
  {
    site: text('site').notNull(),
    label: text('label').notNull(),
    capacity: integer('capacity'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.site, t.label] })],
)

/** Where each ball type goes at a site: one bin per (site, ball type); several types may share a bin. */
export const binAssignments = pgTable(
  'bin_assignments',
  {
    site: text('site').notNull(),
    ballLabel: text('ball_label').notNull(),
    binLabel: text('bin_label').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.site, t.ballLabel] }),
    foreignKey({ columns: [t.site, t.binLabel], foreignColumns: [bins.site, bins.label] }),
    index('bin_assignments_bin_idx').on(t.site, t.binLabel),
  ],
)

/**
 * A worker's confirmation that a scanned ball was shelved: in the bin the answer named (`shelved`) or in
 * another one (`shelved_elsewhere`). The bin is kept as text, so history survives a bin being removed.
 */
export const putAways = pgTable(
  'put_aways',
  {
    id: serial('id').primaryKey(),
    predictionId: uuid('prediction_id')
      .notNull()
      .references(() => predictions.id, { onDelete: 'cascade' }),
    site: text('site').notNull(),
    binLabel: text('bin_label').notNull(),
    /** The bin the answer named at the time; null when there was none. */
    expectedBinLabel: text('expected_bin_label'),
    outcome: text('outcome').$type<'shelved' | 'shelved_elsewhere'>().notNull(),
    confirmedBy: text('confirmed_by'),
    createdAt: createdAt(),
  },
  (t) => [index('put_aways_prediction_idx').on(t.predictionId, t.createdAt)],
)

/**
 * Scans deleted from History, kept whole (the row, its corrections and put-aways) so the delete can be undone
 * like any other action; older than DELETED_SCAN_RETENTION_DAYS they are purged for good.
 */
export const deletedScans = pgTable(
  'deleted_scans',
  {
    predictionId: uuid('prediction_id').primaryKey(),
    prediction: jsonb('prediction').$type<Record<string, unknown>>().notNull(),
    corrections: jsonb('corrections').$type<Array<Record<string, unknown>>>().notNull(),
    putAways: jsonb('put_aways').$type<Array<Record<string, unknown>>>().notNull(),
    deletedBy: text('deleted_by'),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('deleted_scans_deleted_at_idx').on(t.deletedAt)],
)

export const apiKeys = pgTable(
  'api_keys',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<'scanner' | 'viewer' | 'reviewer' | 'admin'>().notNull(),
    /** Only a prefix is kept in clear, to find the row; the key itself is stored as a slow hash. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_keys_prefix_uq').on(t.prefix)],
)

export type DatasetRow = typeof datasets.$inferSelect
export type ModelRow = typeof models.$inferSelect
export type ModelAliasRow = typeof modelAliases.$inferSelect
export type PipelineRunRow = typeof pipelineRuns.$inferSelect
export type PredictionRow = typeof predictions.$inferSelect
export type NewPredictionRow = typeof predictions.$inferInsert
export type CorrectionRow = typeof corrections.$inferSelect
export type GateDecisionRow = typeof gateDecisions.$inferSelect
export type NewGateDecisionRow = typeof gateDecisions.$inferInsert
export type ApiKeyRow = typeof apiKeys.$inferSelect
export type BinRow = typeof bins.$inferSelect
export type BinAssignmentRow = typeof binAssignments.$inferSelect
export type PutAwayRow = typeof putAways.$inferSelect
export type DeletedScanRow = typeof deletedScans.$inferSelect
