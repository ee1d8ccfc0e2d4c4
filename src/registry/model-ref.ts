import { InvalidModelNameError, InvalidModelRefError, UnknownAliasError } from './errors.js'

/** Aliases a model can be promoted to; `latest` is implicit (highest version) and never stored. */
export const MODEL_ALIASES = ['production', 'staging'] as const
export type ModelAlias = (typeof MODEL_ALIASES)[number]

export type ModelRef =
  | { name: string; kind: 'latest' }
  | { name: string; kind: 'version'; version: number }
  | { name: string; kind: 'alias'; alias: string }

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/
const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/

export function assertModelName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw new InvalidModelNameError(name)
}

export function isModelAlias(alias: string): alias is ModelAlias {
  return (MODEL_ALIASES as readonly string[]).includes(alias)
}

export function assertModelAlias(alias: string): asserts alias is ModelAlias {
  if (!isModelAlias(alias)) throw new UnknownAliasError(alias, MODEL_ALIASES)
}

/** Parses `name`, `name@latest`, `name@3` or `name@production`. */
export function parseModelRef(ref: string): ModelRef {
  const at = ref.indexOf('@')
  const name = at === -1 ? ref : ref.slice(0, at)
  if (!NAME_PATTERN.test(name)) throw new InvalidModelRefError(ref, 'the name part is not a valid model name')
  if (at === -1) return { name, kind: 'latest' }
  const tag = ref.slice(at + 1)
  if (tag === 'latest') return { name, kind: 'latest' }
  if (/^[0-9]+$/.test(tag)) {
    const version = Number(tag)
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new InvalidModelRefError(ref, 'versions start at 1')
    }
    return { name, kind: 'version', version }
  }
  if (!ALIAS_PATTERN.test(tag)) {
    throw new InvalidModelRefError(ref, 'after "@" comes a version number, "latest" or an alias')
  }
  return { name, kind: 'alias', alias: tag }
}

export function formatModelRef(name: string, version: number): string {
  return `${name}@${version}`
}
