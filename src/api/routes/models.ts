import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { BALL_LABELS } from '../../data/index.js'
import { ARTIFACT_FILES } from '../../model/index.js'
import { MODEL_ALIASES, listModels, promoteAlias } from '../../registry/index.js'
import type { ApiContext } from '../api-context.js'
import { modelCardUrl, plotUrls } from './model-files.js'
import { errorResponses } from './prediction.schemas.js'

/** Plots the pipeline wrote next to the model, served by GET /models/:name/:version/files/:file. */
const PlotUrlFields = {
  confusion_matrix_url: Type.Union([Type.String(), Type.Null()]),
  learning_curves_url: Type.Union([Type.String(), Type.Null()]),
}

const ModelSchema = Type.Object({
  ref: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  architecture: Type.String(),
  dataset_version: Type.Union([Type.String(), Type.Null()]),
  metrics: Type.Record(Type.String(), Type.Unknown()),
  aliases: Type.Array(Type.String()),
  is_production: Type.Boolean(),
  is_serving: Type.Boolean({ description: 'Whether this server answers with this version right now' }),
  created_at: Type.String({ format: 'date-time' }),
  ...PlotUrlFields,
})

export const modelRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/categories',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Labels the served model answers with',
        tags: ['models'],
        response: { 200: Type.Object({ categories: Type.Array(Type.String()), count: Type.Integer() }) },
      },
    },
    async () => {
      const categories = [...(ctx.models.current()?.classifier.labels ?? BALL_LABELS)]
      return { categories, count: categories.length }
    },
  )

  app.get(
    '/models',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Registered model versions, their metrics, and which one is production',
        tags: ['models'],
        response: {
          200: Type.Object({
            serving: Type.Union([
              Type.Object(
                {
                  ref: Type.String(),
                  origin: Type.Union([
                    Type.Literal('registry'),
                    Type.Literal('bundled'),
                    Type.Literal('folder'),
                  ]),
                  name: Type.String(),
                  version: Type.String(),
                  metrics: Type.Record(Type.String(), Type.Unknown(), {
                    description: "The artifact's metrics.json (test split); {} when it has none",
                  }),
                  model_card_url: Type.Union([Type.String(), Type.Null()]),
                  ...PlotUrlFields,
                },
                { description: 'The model answering scans now, wherever it came from (the bundled one too)' },
              ),
              Type.Null(),
            ]),
            models: Type.Array(ModelSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const served = ctx.models.current()
      const models = await listModels(ctx.db.db)
      const servedRef = served ? parseRef(served.classifier.ref) : undefined
      return {
        serving:
          served && servedRef
            ? {
                ref: served.classifier.ref,
                origin: served.source.origin,
                name: servedRef.name,
                version: servedRef.version,
                metrics: await readArtifactMetrics(served.source.dir),
                model_card_url: await modelCardUrl(served.source.dir, servedRef.name, servedRef.version),
                ...(await plotUrls(served.source.dir, servedRef.name, servedRef.version)),
              }
            : null,
        models: await Promise.all(
          models.map(async (m) => ({
            ref: m.ref,
            name: m.row.name,
            version: m.row.version,
            architecture: m.row.architecture,
            dataset_version: m.row.datasetVersion,
            metrics: m.row.metrics,
            aliases: m.aliases,
            is_production: m.aliases.includes('production'),
            is_serving: served?.classifier.ref === m.ref,
            created_at: m.row.createdAt.toISOString(),
            ...(await plotUrls(m.artifactPath, m.row.name, m.row.version)),
          })),
        ),
      }
    },
  )

  app.put(
    '/models/:name/aliases/:alias',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Point an alias (production, staging) at a registered version; servers reload on the change',
        description: 'Admin only once API keys exist (issue 8).',
        tags: ['models'],
        params: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          alias: Type.Union(MODEL_ALIASES.map((a) => Type.Literal(a))),
        }),
        body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            name: Type.String(),
            alias: Type.String(),
            ref: Type.String(),
            previous_model_id: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { name, alias } = request.params
      // promoteAlias NOTIFYs in its transaction: every server (this one too) reloads from that.
      const promoted = await promoteAlias(ctx.db.db, `${name}@${request.body.version}`, alias)
      request.log.info({ ref: promoted.model.ref, alias }, 'alias moved')
      return { name, alias, ref: promoted.model.ref, previous_model_id: promoted.previousModelId }
    },
  )
}

/** `name@version` split at the last `@`; the bundled model's version may be any text. */
function parseRef(ref: string): { name: string; version: string } | undefined {
  const at = ref.lastIndexOf('@')
  return at > 0 ? { name: ref.slice(0, at), version: ref.slice(at + 1) } : undefined
}

/** The metrics an artifact folder records; {} when it has none (a folder model trained elsewhere). */
async function readArtifactMetrics(dir: string): Promise<Record<string, unknown>> {
  const text = await readFile(path.join(dir, ARTIFACT_FILES.metrics), 'utf8').catch(() => null)
  if (text === null) return {}
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : {}
  } catch {
    return {} // a damaged metrics file hides the figures, not the model
  }
}
