import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { BALL_LABELS, readKeptImage } from '../../data/index.js'
import {
  NOT_A_BALL,
  correctPrediction,
  listCorrections,
  getPrediction,
  listPutAways,
} from '../../db/index.js'
import { parseSite } from '../../putaway/index.js'
import { toScanAnswer, toScanAnswers } from '../bin-fields.js'
import type { ApiContext } from '../api-context.js'
import { ImageNotKeptError, PredictionNotFoundError, UploadTooLargeError, toErrorReply } from '../errors.js'
import { sniffImageFormat } from '../image-format.js'
import { readUploads } from '../read-uploads.js'
import { recordScans, type ScanOutcome } from '../record-scans.js'
import { explanationUrl } from './explain.js'
import { BinFieldsSchema, PutAwaySchema, toPutAway } from './put-away.schemas.js'
import { ErrorSchema, PredictionIdParams, PredictionSchema, errorResponses } from './prediction.schemas.js'

/** File field names the v1 clients and the dashboard use. */
const FILE_FIELDS = ['img', 'file', 'image'] as const
const BATCH_FILE_FIELDS = [...FILE_FIELDS, 'files', 'images'] as const
const TEXT_FIELDS = ['location', 'source', 'site'] as const
/** Multipart headers and text fields on top of the files themselves. */
const MULTIPART_OVERHEAD_BYTES = 256 * 1024

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
  ),
})

const ExplainQuery = Type.Object({
  explain: Type.Optional(
    Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')], {
      description: '1: answer with explanation_url, the Grad-CAM overlay (GET, computed on demand)',
    }),
  ),
})

/** A scan as its answer shows it: the stored row and where the ball goes (put-away). */
const ScanAnswerSchema = Type.Intersect([PredictionSchema, BinFieldsSchema])

const ExplainedPredictionSchema = Type.Intersect([
  ScanAnswerSchema,
  Type.Object({ explanation_url: Type.Optional(Type.String()) }),
])

const uploadErrors = { ...errorResponses, 409: ErrorSchema, 413: ErrorSchema, 415: ErrorSchema } as const

const BatchResultSchema = Type.Object({
  index: Type.Integer(),
  filename: Type.String(),
  status_code: Type.Integer({ description: 'What this file alone would have been answered' }),
  prediction: Type.Union([ScanAnswerSchema, Type.Null()]),
  error: Type.Union([ErrorSchema, Type.Null()]),
})

const CorrectionSchema = Type.Object({
  id: Type.Integer(),
  prediction_id: Type.String({ format: 'uuid' }),
  old_label: Type.String(),
  new_label: Type.String(),
  corrected_by: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
})

const CORRECTION_LABELS = [...BALL_LABELS, NOT_A_BALL]

const multipartDoc = {
  consumes: ['multipart/form-data'],
  description:
    `multipart/form-data with the image in field ${FILE_FIELDS.join(', ')} and optional text fields location, ` +
    "source and site (whose bins answer; the server's SPORTSCAN_SITE when left out)",
}

export const predictionRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { serving } = ctx.config

  /** Refuses a body that announces more bytes than the files allowed could take, before reading any of it. */
  const refuseOversizedBody = (maxFiles: number) => async (request: FastifyRequest, reply: FastifyReply) => {
    const announced = Number(request.headers['content-length'])
    if (
      Number.isFinite(announced) &&
      announced > serving.maxUploadBytes * maxFiles + MULTIPART_OVERHEAD_BYTES
    ) {
      // Closing tells the client to stop sending; otherwise Node would read (and drop) the rest of the body.
      void reply.header('connection', 'close')
      throw new UploadTooLargeError(serving.maxUploadBytes * maxFiles)
    }
  }

  const countOutcomes = (outcomes: ScanOutcome[]) => {
    for (const o of outcomes) {
      if (o.row && o.isNew) ctx.metrics.predictions.inc({ label: o.row.predictedLabel, status: o.row.status })
      if (o.error) ctx.metrics.rejectedUploads.inc({ code: toErrorReply(o.error).body.code })
    }
  }

  app.post(
    '/predict',
    {
      config: { role: 'scanner' },
      preValidation: refuseOversizedBody(1),
      schema: {
        summary: 'Classify one photo and store the scan',
        tags: ['predictions'],
        ...multipartDoc,
        headers: IdempotencyHeaders,
        querystring: ExplainQuery,
        response: { 200: ExplainedPredictionSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const form = await readUploads(request, {
        fileFields: FILE_FIELDS,
        textFields: TEXT_FIELDS,
        maxFiles: 1,
        maxFileBytes: serving.maxUploadBytes,
        maxFieldChars: 200,
        isOversizeFatal: true,
      })
      const outcomes = await recordScans(ctx, form.files, {
        location: form.fields.location || null,
        source: form.fields.source || null,
        site: form.fields.site ? parseSite(form.fields.site) : ctx.config.putaway.site,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
        isBatch: false,
      })
      countOutcomes(outcomes)
      const [outcome] = outcomes
      if (!outcome) throw new Error('no outcome for the upload')
      if (outcome.error) throw outcome.error
      if (!outcome.isNew) void reply.header('idempotent-replayed', 'true')
      const prediction = await toScanAnswer(ctx, outcome.row)
      // Only a link: the overlay is computed when fetched, so asking for it never slows the scan down.
      return request.query.explain === '1' || request.query.explain === 'true'
        ? { ...prediction, explanation_url: explanationUrl(prediction.id) }
        : prediction
    },
  )

  app.post(
    '/predict/batch',
    {
      config: { role: 'scanner' },
      preValidation: refuseOversizedBody(serving.batchLimit),
      schema: {
        summary: `Classify up to ${serving.batchLimit} photos; a bad file fails alone`,
        tags: ['predictions'],
        ...multipartDoc,
        headers: IdempotencyHeaders,
        response: {
          200: Type.Object({
            results: Type.Array(BatchResultSchema),
            stored: Type.Integer(),
            failed: Type.Integer(),
          }),
          ...uploadErrors,
        },
      },
    },
    async (request) => {
      const form = await readUploads(request, {
        fileFields: BATCH_FILE_FIELDS,
        textFields: TEXT_FIELDS,
        maxFiles: serving.batchLimit,
        maxFileBytes: serving.maxUploadBytes,
        maxFieldChars: 200,
        isOversizeFatal: false,
      })
      const outcomes = await recordScans(ctx, form.files, {
        location: form.fields.location || null,
        source: form.fields.source || null,
        site: form.fields.site ? parseSite(form.fields.site) : ctx.config.putaway.site,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
        isBatch: true,
      })
      countOutcomes(outcomes)
      const stored = outcomes.flatMap((o) => (o.row ? [o.row] : []))
      const answers = new Map((await toScanAnswers(ctx, stored)).map((a) => [a.id, a]))
      const results = outcomes.map((o, index) => {
        const filename = form.files[index]?.filename ?? ''
        const prediction = o.row ? answers.get(o.row.id) : undefined
        if (prediction) {
          return { index, filename, status_code: 200, prediction, error: null }
        }
        const { status, body } = toErrorReply(o.error)
        if (status >= 500) request.log.error({ err: o.error, index }, 'batch item failed')
        return { index, filename, status_code: status, prediction: null, error: body }
      })
      const storedCount = results.filter((r) => r.prediction !== null).length
      return { results, stored: storedCount, failed: results.length - storedCount }
    },
  )

  app.get(
    '/predictions/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One stored scan, with its corrections',
        tags: ['predictions'],
        params: PredictionIdParams,
        response: {
          200: Type.Intersect([
            ScanAnswerSchema,
            Type.Object({ corrections: Type.Array(CorrectionSchema), put_aways: Type.Array(PutAwaySchema) }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const [row, corrections, putAways] = await Promise.all([
        getPrediction(ctx.db.db, request.params.id),
        listCorrections(ctx.db.db, request.params.id),
        listPutAways(ctx.db.db, [request.params.id]),
      ])
      if (!row) throw new PredictionNotFoundError(request.params.id)
      return {
        ...(await toScanAnswer(ctx, row)),
        corrections: corrections.map(toCorrection),
        put_aways: putAways.map(toPutAway),
      }
    },
  )

  app.get(
    '/predictions/:id/image',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The photo of a scan, when the server keeps images (STORE_IMAGES=1)',
        tags: ['predictions'],
        produces: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/heif'],
        params: PredictionIdParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The uploaded bytes' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const row = await getPrediction(ctx.db.db, request.params.id)
      if (!row) throw new PredictionNotFoundError(request.params.id)
      const bytes = await readKeptImage(ctx.config.home, row.imageSha256)
      if (!bytes) throw new ImageNotKeptError(request.params.id)
      // Content-addressed: the bytes behind this URL never change.
      void reply
        .type(`image/${sniffImageFormat(bytes) ?? 'jpeg'}`)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
      return bytes
    },
  )

  app.post(
    '/predictions/:id/correction',
    {
      config: { role: 'reviewer' },
      schema: {
        summary: 'Record the right label for a scan (not_a_ball takes it out of stock)',
        tags: ['predictions'],
        params: PredictionIdParams,
        body: Type.Object(
          { label: Type.Union(CORRECTION_LABELS.map((l) => Type.Literal(l))) },
          { additionalProperties: false },
        ),
        response: { 201: CorrectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await correctPrediction(ctx.db.db, {
        predictionId: request.params.id,
        newLabel: request.body.label,
        // The reviewer's key name; null when auth is off (loopback, single user).
        correctedBy: request.apiKey?.name ?? null,
      })
      if (!row) throw new PredictionNotFoundError(request.params.id)
      void reply.status(201)
      return toCorrection(row)
    },
  )
}

function toCorrection(row: {
  id: number
  predictionId: string
  oldLabel: string
  newLabel: string
  correctedBy: string | null
  createdAt: Date
}) {
  return {
    id: row.id,
    prediction_id: row.predictionId,
    old_label: row.oldLabel,
    new_label: row.newLabel,
    corrected_by: row.correctedBy,
    created_at: row.createdAt.toISOString(),
  }
}
