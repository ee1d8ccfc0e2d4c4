import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Queryable } from '../../db/index.js'
import { ARTIFACT_FILES } from '../../model/index.js'
import { resolveModelRef } from '../../registry/index.js'
import type { ApiContext } from '../api-context.js'
import { ModelFileNotFoundError } from '../errors.js'
import type { ModelProvider } from '../model-holder.js'
import { errorResponses } from './prediction.schemas.js'

/** The artifact files a client may fetch, with the field /models names each one in. */
export const MODEL_PLOTS = {
  confusion_matrix_url: ARTIFACT_FILES.confusionMatrix,
  learning_curves_url: ARTIFACT_FILES.learningCurves,
} as const

type PlotUrls = { [K in keyof typeof MODEL_PLOTS]: string | null }

/** The model card a bundled or pipeline-built artifact carries (Markdown). */
export const MODEL_CARD_FILE = 'README.md'

const SERVABLE_FILES = [...Object.values(MODEL_PLOTS), MODEL_CARD_FILE]

export function modelFileUrl(name: string, version: number | string, file: string): string {
  return `/models/${encodeURIComponent(name)}/${encodeURIComponent(String(version))}/files/${file}`
}

/** URL of the model card in an artifact folder; null without one. */
export async function modelCardUrl(
  dir: string,
  name: string,
  version: number | string,
): Promise<string | null> {
  const isThere = await access(path.join(dir, MODEL_CARD_FILE)).then(
    () => true,
    () => false,
  )
  return isThere ? modelFileUrl(name, version, MODEL_CARD_FILE) : null
}

/** URLs of the plots an artifact folder holds; null for the ones it lacks. */
export async function plotUrls(dir: string, name: string, version: number | string): Promise<PlotUrls> {
  const entries = await Promise.all(
    Object.entries(MODEL_PLOTS).map(async ([field, file]) => {
      const isThere = await access(path.join(dir, file)).then(
        () => true,
        () => false,
      )
      return [field, isThere ? modelFileUrl(name, version, file) : null] as const
    }),
  )
  return {
    confusion_matrix_url: entries.find(([f]) => f === 'confusion_matrix_url')?.[1] ?? null,
    learning_curves_url: entries.find(([f]) => f === 'learning_curves_url')?.[1] ?? null,
  }
}

/**
 * The artifact folder of `name@version`: the bundled model's when it is the one served (it is not in the
 * registry), else the registry's. Throws the registry's not-found errors (404).
 */
async function artifactDir(db: Queryable, models: ModelProvider, name: string, version: string) {
  const served = models.current()
  if (served?.source.origin === 'bundled' && served.classifier.ref === `${name}@${version}`) {
    return served.source.dir
  }
  // Only numeric versions reach the registry: an alias here would make the URL's meaning drift.
  if (!/^[0-9]{1,9}$/.test(version)) return undefined
  return (await resolveModelRef(db, `${name}@${version}`)).artifactPath
}

export const modelFileRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/models/:name/:version/files/:file',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'A plot the training pipeline wrote next to a model, or its model card (README.md)',
        tags: ['models'],
        produces: ['image/png', 'text/markdown'],
        params: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          version: Type.String({ minLength: 1, maxLength: 100 }),
          file: Type.Union(SERVABLE_FILES.map((f) => Type.Literal(f))),
        }),
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'PNG or Markdown' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { name, version, file } = request.params
      const dir = await artifactDir(ctx.db.db, ctx.models, name, version)
      if (dir === undefined) throw new ModelFileNotFoundError(`${name}@${version}`, file)
      // `file` is one of SERVABLE_FILES (validated above), so the path cannot leave the folder.
      const bytes = await readFile(path.join(dir, file)).catch((err: unknown) => {
        if ((err as { code?: unknown }).code === 'ENOENT')
          throw new ModelFileNotFoundError(`${name}@${version}`, file)
        throw err
      })
      // Artifacts are immutable once registered.
      const type = file === MODEL_CARD_FILE ? 'text/markdown; charset=utf-8' : 'image/png'
      void reply.type(type).header('cache-control', 'private, max-age=86400')
      return bytes
    },
  )
}
