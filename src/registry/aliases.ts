import { type Database, notifyChannel, upsertAlias } from '../db/index.js'
import { assertModelAlias, formatModelRef } from './model-ref.js'
import { resolveModelRef, type ResolvedModel } from './resolve-model.js'

/** NOTIFY channel a running server listens on to reload the model an alias points at. */
export const MODEL_ALIAS_CHANNEL = 'sportscan_model_alias'

/** What `promoteAlias` sends on MODEL_ALIAS_CHANNEL, as JSON. */
export interface AliasChangedPayload {
  name: string
  alias: string
  version: number
  modelId: number
  ref: string
  previousModelId: number | null
}

export interface PromotedAlias {
  model: ResolvedModel
  alias: string
  previousModelId: number | null
}

/**
 * Points `<name>@<alias>` at the model `ref` resolves to. The move and the NOTIFY share one transaction,
 * so listeners hear of it only once it is committed, and never of a move that rolled back.
 */
export async function promoteAlias(db: Database, ref: string, alias: string): Promise<PromotedAlias> {
  assertModelAlias(alias)
  return db.transaction(async (tx) => {
    const model = await resolveModelRef(tx, ref)
    const previous = await upsertAlias(tx, { name: model.row.name, alias, modelId: model.row.id })
    const payload: AliasChangedPayload = {
      name: model.row.name,
      alias,
      version: model.row.version,
      modelId: model.row.id,
      ref: formatModelRef(model.row.name, model.row.version),
      previousModelId: previous ?? null,
    }
    await notifyChannel(tx, MODEL_ALIAS_CHANNEL, JSON.stringify(payload))
    return { model, alias, previousModelId: previous ?? null }
  })
}
