import { Type, type Static, type TObject } from 'typebox'
import type { Database } from '../db/index.js'
import type { Logger } from '../log/index.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A typed port: an input may only take an output of the same `kind`. */
export interface StepPort {
  kind: string
  description?: string
}

export interface StepOutputPort extends StepPort {
  /** The value is a path relative to the step's output folder; consumers receive it absolute. */
  isPath?: boolean
}

/** What every step may use besides its params and inputs. */
export interface StepServices {
  home: string
  db: Database
  log: Logger
  /** Git SHA (or configured version) of the code running the pipeline, recorded with models. */
  codeVersion: string
  signal?: AbortSignal
}

export interface StepContext<P> extends StepServices {
  stepName: string
  params: P
  /** Upstream outputs by input name; path outputs are absolute. */
  inputs: Readonly<Record<string, JsonValue>>
  /** Empty folder for the step's files; it becomes the cached result only if the step succeeds. */
  outDir: string
  /** One human-readable progress line (the CLI prints it prefixed with the step name). */
  progress(message: string): void
}

const JsonValueSchema = Type.Unsafe<JsonValue>(Type.Unknown())

/** A finished step result as stored in the cache, outputs as the step returned them. */
export const StoredStepResultSchema = Type.Object({
  key: Type.String(),
  type: Type.String(),
  outputs: Type.Record(Type.String(), JsonValueSchema),
  seconds: Type.Number(),
  createdAt: Type.String(),
})
export type StoredStepResult = Static<typeof StoredStepResultSchema>

/**
 * One kind of step (`prep`, `train`...). Its result is cached under a key made of `name`, `version`,
 * the resolved params, the identities of its inputs and `fingerprint(params)`; bump `version` whenever
 * the step's behaviour changes, so results made by older code are not reused.
 */
export interface StepType<S extends TObject = TObject> {
  name: string
  version: string
  description: string
  inputs: Record<string, StepPort>
  outputs: Record<string, StepOutputPort>
  /** TypeBox object schema of the step's params; defaults in it fill params the pipeline leaves out. */
  params: S
  /** Identity of what the params point at outside the pipeline (a folder's listing, a file's hash). */
  fingerprint?(params: Static<S>): Promise<JsonValue>
  /** Checks that a cached result still holds outside the cache (e.g. its database row exists). */
  isResultValid?(result: StoredStepResult, services: StepServices): Promise<boolean>
  run(ctx: StepContext<Static<S>>): Promise<Record<string, JsonValue>>
}

export type AnyStepType = StepType<TObject>

/** Keeps a step's params type tied to its schema. */
export function defineStep<S extends TObject>(step: StepType<S>): StepType<S> {
  return step
}

export type StepTypeRegistry = ReadonlyMap<string, AnyStepType>

export function createStepTypeRegistry(types: readonly AnyStepType[]): StepTypeRegistry {
  return new Map(types.map((t) => [t.name, t]))
}
