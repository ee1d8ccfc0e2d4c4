import { InvalidArchitectureParamError } from '../errors.js'

/** Reads an optional numeric architecture parameter (YAML gives us unknowns), with bounds. */
export function numberParam(
  architecture: string,
  params: Record<string, unknown>,
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = params[name]
  if (value === undefined) return fallback
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (bounds.integer === true && !Number.isInteger(value)) ||
    (bounds.min !== undefined && value < bounds.min) ||
    (bounds.max !== undefined && value > bounds.max)
  ) {
    const range = `${bounds.integer === true ? 'an integer' : 'a number'}${bounds.min !== undefined ? ` >= ${bounds.min}` : ''}${bounds.max !== undefined ? ` <= ${bounds.max}` : ''}`
    throw new InvalidArchitectureParamError(
      architecture,
      name,
      `must be ${range}, got ${JSON.stringify(value)}`,
    )
  }
  return value
}

/** Reads an optional list of positive integers (e.g. stage widths). */
export function intListParam(
  architecture: string,
  params: Record<string, unknown>,
  name: string,
  fallback: readonly number[],
): number[] {
  const value = params[name]
  if (value === undefined) return [...fallback]
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => Number.isInteger(v) && v > 0)) {
    throw new InvalidArchitectureParamError(
      architecture,
      name,
      `must be a non-empty list of positive integers`,
    )
  }
  return value.filter((v): v is number => typeof v === 'number')
}

/** Checks the shape contract every builder shares. */
export function checkShape(architecture: string, inputSize: unknown, numClasses: unknown, minSize = 8): void {
  if (typeof inputSize !== 'number' || !Number.isInteger(inputSize) || inputSize < minSize) {
    throw new InvalidArchitectureParamError(architecture, 'inputSize', `must be an integer >= ${minSize}`)
  }
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 2) {
    throw new InvalidArchitectureParamError(architecture, 'numClasses', 'must be an integer >= 2')
  }
}
