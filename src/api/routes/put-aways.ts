import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { BIN_PATTERN, confirmPutAway } from '../../putaway/index.js'
import type { ApiContext } from '../api-context.js'
import { PredictionNotFoundError } from '../errors.js'
import { ErrorSchema, PredictionIdParams, errorResponses } from './prediction.schemas.js'
import { PutAwaySchema, toPutAway } from './put-away.schemas.js'

/** Shelving confirmations: the worker who scanned the ball says where it went. */
export const putAwayRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post(
    '/predictions/:id/put-away',
    {
      // The scanning worker's own key confirms, as it posted the scan.
      config: { role: 'scanner' },
      schema: {
        summary: 'Confirm a scanned ball was shelved: in its bin ({}), or elsewhere ({"bin": "X"})',
        tags: ['put-away'],
        params: PredictionIdParams,
        body: Type.Object(
          {
            bin: Type.Optional(
              Type.String({
                pattern: BIN_PATTERN,
                description:
                  'The bin it went in, when not the one the answer named; a bin of the scan’s site',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: PutAwaySchema, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const row = await confirmPutAway(ctx.db.db, {
        predictionId: request.params.id,
        ...(request.body.bin === undefined ? {} : { bin: request.body.bin }),
        confirmedBy: request.apiKey?.name ?? null,
      })
      if (!row) throw new PredictionNotFoundError(request.params.id)
      void reply.status(201)
      return toPutAway(row)
    },
  )
}
