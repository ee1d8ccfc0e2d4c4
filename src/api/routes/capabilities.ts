import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { ApiContext } from '../api-context.js'
import { MIN_IMAGE_SIDE_PX } from '../check-upload-image.js'

const CapabilitiesSchema = Type.Object(
  {
    store_images: Type.Boolean({
      description: 'Whether scan photos are kept (STORE_IMAGES=1): GET /predictions/{id}/image has them',
    }),
    auth: Type.Union([Type.Literal('required'), Type.Literal('off')]),
    role: Type.Union(
      [
        Type.Literal('scanner'),
        Type.Literal('viewer'),
        Type.Literal('reviewer'),
        Type.Literal('admin'),
        Type.Null(),
      ],
      {
        description:
          "The caller's role: the sent key's, admin when auth is off, null without a (valid) key. " +
          'The dashboard shows only the actions it allows.',
      },
    ),
    min_image_side_px: Type.Integer({
      description: 'Smaller photos are refused (422 SPS_API_IMAGE_TOO_SMALL)',
    }),
    max_upload_bytes: Type.Integer(),
    batch_limit: Type.Integer(),
  },
  { $id: 'Capabilities' },
)

/** What this server does and what the caller may do: the dashboard asks once instead of guessing. */
export const capabilityRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/capabilities',
    {
      // Public (the dashboard asks before a key is entered); a sent key is read to report its role.
      config: { role: 'public', identify: true },
      schema: {
        summary: "This server's options and the caller's role, for clients that adapt to them",
        tags: ['health'],
        response: { 200: CapabilitiesSchema },
      },
    },
    async (request) => ({
      store_images: ctx.config.serving.storeImages,
      auth: app.authMode,
      role: app.authMode === 'off' ? ('admin' as const) : (request.apiKey?.role ?? null),
      min_image_side_px: MIN_IMAGE_SIDE_PX,
      max_upload_bytes: ctx.config.serving.maxUploadBytes,
      batch_limit: ctx.config.serving.batchLimit,
    }),
  )
}
