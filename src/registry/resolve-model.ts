import {
  type ModelRow,
  type Queryable,
  selectAliases,
  selectAllModels,
  selectLatestModel,
  selectModelByAlias,
  selectModelByVersion,
} from '../db/index.js'
import { AliasNotFoundError, ModelNotFoundError } from './errors.js'
import { formatModelRef, parseModelRef } from './model-ref.js'

export interface ResolvedModel {
  /** `name@version`, whatever form the reference had. */
  ref: string
  row: ModelRow
  /** Absolute path of the artifact folder. */
  artifactPath: string
}

export interface ModelSummary extends ResolvedModel {
  /** Aliases currently pointing at this version, sorted. */
  aliases: string[]
}

/** Resolves `name@version`, `name@alias` (`production`, `staging`), `name@latest` or `name` (= latest). */
export async function resolveModelRef(db: Queryable, ref: string): Promise<ResolvedModel> {
  const parsed = parseModelRef(ref)
  let row: ModelRow | undefined
  if (parsed.kind === 'version') row = await selectModelByVersion(db, parsed.name, parsed.version)
  else if (parsed.kind === 'latest') row = await selectLatestModel(db, parsed.name)
  else {
    row = await selectModelByAlias(db, parsed.name, parsed.alias)
    if (!row) throw new AliasNotFoundError(parsed.name, parsed.alias)
  }
  if (!row) throw new ModelNotFoundError(ref)
  return toResolved(row)
}

/** One model with the aliases pointing at it. */
export async function getModel(db: Queryable, ref: string): Promise<ModelSummary> {
  const resolved = await resolveModelRef(db, ref)
  const aliases = await selectAliases(db, resolved.row.name)
  return {
    ...resolved,
    aliases: aliases.filter((a) => a.modelId === resolved.row.id).map((a) => a.alias),
  }
}

/** Every registered model, by name then newest version first, each with its aliases. */
export async function listModels(db: Queryable): Promise<ModelSummary[]> {
  const [rows, aliases] = await Promise.all([selectAllModels(db), selectAliases(db)])
  return rows.map((row) => ({
    ...toResolved(row),
    aliases: aliases.filter((a) => a.modelId === row.id).map((a) => a.alias),
  }))
}

function toResolved(row: ModelRow): ResolvedModel {
  return { ref: formatModelRef(row.name, row.version), row, artifactPath: row.artifactPath }
}
