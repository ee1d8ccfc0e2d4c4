import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { readKeptImage } from '../../data/index.js'
import { getPrediction } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { ExplanationUnavailableError, ImageNotKeptError, PredictionNotFoundError } from '../errors.js'
import { Explainer } from '../explainer.js'
import { PredictionIdParams, errorResponses } from './prediction.schemas.js'

/** Where the overlay of a prediction is served; POST /predict?explain=1 answers with it. */
export function explanationUrl(predictionId: string): string {
  return `/predictions/${encodeURIComponent(predictionId)}/explain`
}

/**
 * Grad-CAM overlays of stored scans, computed on demand (never during /predict: it costs several
 * predictions' worth of CPU). Needs the photo (STORE_IMAGES=1) and the model that made the prediction
 * still being the one served: explaining with another model would show what *it* looks at, not why the
 * scan got its label, so that answers 404 rather than a misleading picture.
 */
export const explainRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const explainer = new Explainer({ log: ctx.log, maxPixels: ctx.config.serving.maxPixels })
  app.addHook('onClose', async () => {
    explainer.close()
  })

  app.get(
    '/predictions/:id/explain',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Grad-CAM heatmap over the photo of a scan: where the model looked (PNG)',
        description:
          'Computed from the last convolution layer of the served model, for the label the scan got. ' +
          '404 SPS_API_IMAGE_NOT_KEPT when the photo was not kept (STORE_IMAGES off); ' +
          '404 SPS_API_EXPLANATION_UNAVAILABLE when the model that answered no longer serves, or cannot be explained.',
        tags: ['predictions'],
        produces: ['image/png'],
        params: PredictionIdParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'PNG, at most 512 px' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const row = await getPrediction(ctx.db.db, id)
      if (!row) throw new PredictionNotFoundError(id)
      const served = ctx.models.current()
      if (!served || served.classifier.ref !== row.model) {
        const now = served ? `the server now runs ${served.classifier.ref}` : 'no model is loaded'
        throw new ExplanationUnavailableError(id, `it was made by ${row.model} and ${now}`)
      }
      const image =
        (await readKeptImage(ctx.config.home, row.imageSha256)) ?? ctx.recentUploads.get(row.imageSha256)
      if (!image) throw new ImageNotKeptError(id)
      const lease = ctx.models.acquire()
      try {
        const png = await explainer.explain({
          predictionId: id,
          label: row.predictedLabel,
          image,
          classifier: served.classifier,
          source: served.source,
        })
        // Same scan and model give the same picture; a model swap makes it a 404, so no long caching.
        void reply.type('image/png').header('cache-control', 'private, max-age=300')
        return png
      } finally {
        lease.release()
      }
    },
  )
}
