import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listGateDecisions, type GateDecisionRow } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import type { RetrainJob, RetrainJobs } from '../retrain-jobs.js'
import { ErrorSchema, errorResponses } from './prediction.schemas.js'

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()])

const JobSchema = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  started_at: Type.String({ format: 'date-time' }),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lines: Type.Array(Type.String(), { description: 'Latest progress lines, oldest first' }),
  outcome: Type.Union([
    Type.Object({
      candidate_ref: Type.String(),
      decision: Type.Union([Type.Literal('promoted'), Type.Literal('rejected')]),
      reason: Type.String(),
      decision_id: Type.Integer(),
    }),
    Type.Null(),
  ]),
  error: Type.Union([ErrorSchema, Type.Null()]),
})

export const GateDecisionSchema = Type.Object({
  id: Type.Integer(),
  candidate_ref: Type.String(),
  baseline_ref: Type.Union([Type.String(), Type.Null()]),
  decision: Type.Union([Type.Literal('promoted'), Type.Literal('rejected')]),
  reason: Type.String(),
  candidate_test_accuracy: Type.Number(),
  baseline_test_accuracy: Nullable(Type.Number()),
  candidate_feedback_accuracy: Nullable(Type.Number({ description: 'On the held-out corrected scans' })),
  baseline_feedback_accuracy: Nullable(Type.Number()),
  test_count: Type.Integer(),
  feedback_count: Type.Integer({ description: 'Held-out corrected scans both models were scored on' }),
  dataset_version: Type.String(),
  feedback_since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  holdout: Type.Union([
    Type.Object({
      seed: Type.Integer(),
      fraction: Type.Number(),
      trained_on: Type.Integer({ description: 'Corrected scans merged into the training data' }),
      prediction_ids: Type.Array(Type.String(), { description: 'The held-out scans' }),
    }),
    Type.Null(),
  ]),
  created_at: Type.String({ format: 'date-time' }),
})

export const retrainRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext; jobs: RetrainJobs }> = async (
  app,
  { ctx, jobs },
) => {
  app.addHook('onClose', () => jobs.close())

  app.get(
    '/retrain',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The latest retraining job (progress, decision) and the recorded gate decisions',
        tags: ['models'],
        response: {
          200: Type.Object({
            is_available: Type.Boolean({ description: 'False when SPORTSCAN_RETRAIN_SPLIT is not set' }),
            job: Type.Union([JobSchema, Type.Null()]),
            decisions: Type.Array(GateDecisionSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const job = jobs.current()
      const decisions = await listGateDecisions(ctx.db.db, 20)
      return {
        is_available: jobs.isAvailable,
        job: job ? toJob(job) : null,
        decisions: decisions.map(toGateDecision),
      }
    },
  )

  app.post(
    '/retrain',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Start retraining on the corrected scans in the background; the gate decides on promotion',
        tags: ['models'],
        body: Type.Object(
          {
            since: Type.Optional(
              Type.String({ format: 'date-time', description: 'Only scans corrected since' }),
            ),
            base_version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{1,64}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 202: JobSchema, 409: ErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const job = jobs.start({
        ...(request.body.since ? { since: new Date(request.body.since) } : {}),
        ...(request.body.base_version ? { baseVersion: request.body.base_version } : {}),
      })
      request.log.info({ job: job.id }, 'retraining started')
      void reply.status(202)
      return toJob(job)
    },
  )
}

function toJob(job: RetrainJob) {
  return {
    id: job.id,
    state: job.state,
    started_at: job.startedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
    lines: job.lines.slice(),
    outcome: job.outcome
      ? {
          candidate_ref: job.outcome.candidateRef,
          decision: job.outcome.decision,
          reason: job.outcome.reason,
          decision_id: job.outcome.decisionId,
        }
      : null,
    error: job.error,
  }
}

export function toGateDecision(row: GateDecisionRow) {
  return {
    id: row.id,
    candidate_ref: row.candidateRef,
    baseline_ref: row.baselineRef,
    decision: row.decision,
    reason: row.reason,
    candidate_test_accuracy: row.candidateTestAccuracy,
    baseline_test_accuracy: row.baselineTestAccuracy,
    candidate_feedback_accuracy: row.candidateFeedbackAccuracy,
    baseline_feedback_accuracy: row.baselineFeedbackAccuracy,
    test_count: row.testCount,
    feedback_count: row.feedbackCount,
    dataset_version: row.datasetVersion,
    feedback_since: row.feedbackSince?.toISOString() ?? null,
    holdout: row.holdout
      ? {
          seed: row.holdout.seed,
          fraction: row.holdout.fraction,
          trained_on: row.holdout.trainedOn,
          prediction_ids: row.holdout.scans.map((s) => s.predictionId),
        }
      : null,
    created_at: row.createdAt.toISOString(),
  }
}
