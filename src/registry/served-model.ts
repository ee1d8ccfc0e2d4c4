import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config/index.js'
import type { Queryable } from '../db/index.js'
import { AliasNotFoundError, ModelNotFoundError, NoServedModelError } from './errors.js'
import { resolveModelRef } from './resolve-model.js'

/** The slice of config.serving that decides which model answers and how. */
export type ServingPolicy = Pick<
  Config['serving'],
  'modelName' | 'bundledModelDir' | 'runtime' | 'precision' | 'testViews'
>

/**
 * A model and how it answers: what `serve` loads, what `sportscan evaluate` scores and what the retraining
 * gate compares. The views and temperature follow from `testViews`: every loader (TF.js, ONNX Runtime, its
 * worker pool) reads them from the artifact with model's `resolveServedViews`, so all answer alike.
 */
export interface ServedModel {
  /** Changes exactly when a different model should be served. */
  key: string
  /** The artifact folder. */
  dir: string
  /** `name@version` of a registry model; a folder's model reports its own metadata. */
  ref?: string
  origin: 'registry' | 'bundled' | 'folder'
  runtime: ServingPolicy['runtime']
  /** int8 twin, float graph, or auto (int8 when shipped); model's chooseRuntime applies it. */
  precision: ServingPolicy['precision']
  /** `model`: the artifact's own views and temperature; a preset: the temperature it was calibrated with. */
  testViews: ServingPolicy['testViews']
}

/**
 * Resolves the model to answer with. Without `model`: the registry's `<modelName>@production`, else the bundled
 * folder (a fresh clone's empty registry), else NoServedModelError. With `model`: that artifact folder if it holds
 * a model.json, else that registry reference (`name@3`, `name@staging`). Either way it answers through the
 * policy's runtime and views. Registry errors other than "no such alias" propagate (database down), so a
 * polling server keeps its model rather than falling back to the bundled one.
 */
export async function resolveServedModel(
  db: Queryable,
  policy: ServingPolicy,
  choice: { model?: string } = {},
): Promise<ServedModel> {
  const how = { runtime: policy.runtime, precision: policy.precision, testViews: policy.testViews }
  if (choice.model !== undefined) {
    const inFolder = await servedModelInFolder(choice.model, policy)
    return inFolder ?? fromRegistry(await resolveModelRef(db, choice.model), how)
  }
  try {
    return fromRegistry(await resolveModelRef(db, `${policy.modelName}@production`), how)
  } catch (err) {
    if (!(err instanceof AliasNotFoundError) && !(err instanceof ModelNotFoundError)) throw err
  }
  if (!(await hasModelJson(policy.bundledModelDir))) {
    throw new NoServedModelError(policy.modelName, policy.bundledModelDir)
  }
  const dir = path.resolve(policy.bundledModelDir)
  return { key: `bundled:${dir}`, dir, origin: 'bundled', ...how }
}

/**
 * The model in an artifact folder, served under the policy; undefined when the folder holds no model.json.
 * Needs no database, so `evaluate --model <folder>` runs beside a server holding the embedded one.
 */
export async function servedModelInFolder(
  dir: string,
  policy: ServingPolicy,
): Promise<ServedModel | undefined> {
  if (!(await hasModelJson(dir))) return undefined
  const resolved = path.resolve(dir)
  return {
    key: `folder:${resolved}`,
    dir: resolved,
    origin: 'folder',
    runtime: policy.runtime,
    precision: policy.precision,
    testViews: policy.testViews,
  }
}

function fromRegistry(
  resolved: Awaited<ReturnType<typeof resolveModelRef>>,
  how: Pick<ServedModel, 'runtime' | 'precision' | 'testViews'>,
): ServedModel {
  return {
    key: `registry:${resolved.row.id}`,
    dir: resolved.artifactPath,
    ref: resolved.ref,
    origin: 'registry',
    ...how,
  }
}

async function hasModelJson(dir: string): Promise<boolean> {
  return stat(path.join(dir, 'model.json')).then(
    (s) => s.isFile(),
    () => false,
  )
}
