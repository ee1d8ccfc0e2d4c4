import path from 'node:path'
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { PipelineOverrideError, PipelineSpecError } from './errors.js'
import { coerceOverride, coerceStructuredOverride, parseOverride } from './param-overrides.js'
import { readPipelineSpec, type ParamValue, type PipelineSpec } from './pipeline-spec.js'
import { formatSchemaErrors } from './schema-errors.js'
import type { AnyStepType, StepTypeRegistry } from './step-type.js'

export interface StepInputRef {
  step: string
  output: string
}

export interface ResolvedStep {
  name: string
  type: AnyStepType
  /** Params after substitution and the step schema's defaults, validated against it. */
  params: Record<string, unknown>
  inputs: Record<string, StepInputRef>
  /** Upstream steps, in pipeline order. */
  dependsOn: string[]
}

export interface ResolvedPipeline {
  name: string
  file: string
  /** Pipeline params after defaults and overrides. */
  params: Record<string, ParamValue>
  /** Steps in dependency order (ties keep file order). */
  steps: ResolvedStep[]
}

export interface ResolveOptions {
  file: string
  stepTypes: StepTypeRegistry
  /** `key=value` strings, as given to `--set`. */
  overrides?: readonly string[]
}

const PARAM_REF = /\$\{params\.([A-Za-z][\w-]*)\}/g
const WHOLE_PARAM_REF = /^\$\{params\.([A-Za-z][\w-]*)\}$/
const STEP_REF = /^\$\{steps\.([^.}]+)\.outputs\.([^.}]+)\}$/

export async function loadPipeline(
  file: string,
  options: Omit<ResolveOptions, 'file'>,
): Promise<ResolvedPipeline> {
  const resolvedFile = path.resolve(file)
  return resolvePipeline(await readPipelineSpec(resolvedFile), { ...options, file: resolvedFile })
}

/**
 * Checks what the schema cannot (step types, references, param types, cycles), applies overrides, and
 * orders the steps. Every problem is collected, so one error lists them all.
 */
export function resolvePipeline(spec: PipelineSpec, options: ResolveOptions): ResolvedPipeline {
  const problems: string[] = []
  const stepNames = Object.keys(spec.steps)
  const params = resolvePipelineParams(spec, options, problems)
  const declaredParams = new Set(Object.keys(spec.params ?? {}))

  const steps: ResolvedStep[] = []
  for (const name of stepNames) {
    const decl = spec.steps[name]
    if (!decl) continue
    const where = `steps.${name}`
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      problems.push(`${where}: step names use lower-case letters, digits, "-" and "_"`)
    }
    const type = options.stepTypes.get(decl.type)
    if (!type) {
      problems.push(
        `${where}.type: unknown step type "${decl.type}" (known: ${[...options.stepTypes.keys()].join(', ')})`,
      )
      continue
    }
    const inputs = resolveInputs(name, decl.inputs ?? {}, type, spec, options.stepTypes, problems)
    for (const output of decl.outputs ?? []) {
      if (!(output in type.outputs)) {
        problems.push(
          `${where}.outputs: step type "${type.name}" has no output "${output}" (it has: ${Object.keys(type.outputs).join(', ')})`,
        )
      }
    }
    const stepParams = substituteParams(where, decl.params ?? {}, params, declaredParams, problems)
    applyStepOverrides(name, type, stepParams, options.overrides ?? [])
    const withDefaults = Value.Default(type.params, stepParams)
    const paramProblems = formatSchemaErrors(type.params, withDefaults, `${where}.params`)
    problems.push(...paramProblems)
    const dependsOn = [...new Set(Object.values(inputs).map((i) => i.step))]
    steps.push({ name, type, params: isRecord(withDefaults) ? withDefaults : {}, inputs, dependsOn })
  }

  const ordered = problems.length === 0 ? orderSteps(steps, problems) : steps
  if (problems.length > 0) throw new PipelineSpecError(options.file, problems)
  return { name: spec.name, file: options.file, params, steps: ordered }
}

function resolvePipelineParams(
  spec: PipelineSpec,
  options: ResolveOptions,
  problems: string[],
): Record<string, ParamValue> {
  const declared = spec.params ?? {}
  const values: Record<string, ParamValue> = {}
  for (const [name, decl] of Object.entries(declared)) {
    if (decl.default !== undefined) values[name] = decl.default
  }
  for (const text of options.overrides ?? []) {
    const override = parseOverride(text)
    if (override.key.includes('.')) {
      const target = override.key.split('.')[0] ?? ''
      if (!(target in spec.steps)) {
        throw new PipelineOverrideError(text, `the pipeline has no step "${target}"`)
      }
      continue
    }
    const decl = declared[override.key]
    if (!decl) {
      throw new PipelineOverrideError(
        text,
        `the pipeline has no param "${override.key}" (params: ${Object.keys(declared).join(', ') || 'none'}; use step.param for a step's own param)`,
      )
    }
    values[override.key] = coerceOverride(override, decl.type)
  }
  for (const [name, decl] of Object.entries(declared)) {
    const where = `params.${name}`
    const value = values[name]
    if (value === undefined) continue
    const ok =
      decl.type === 'string'
        ? typeof value === 'string'
        : decl.type === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number' && (decl.type === 'number' || Number.isInteger(value))
    if (!ok) {
      problems.push(`${where}: ${JSON.stringify(value)} is not of type ${decl.type}`)
      continue
    }
    if (decl.enum && !decl.enum.includes(value)) {
      problems.push(`${where}: must be one of ${decl.enum.map((v) => JSON.stringify(v)).join(', ')}`)
    }
    if (typeof value === 'number' && decl.minimum !== undefined && value < decl.minimum) {
      problems.push(`${where}: ${value} is below the minimum ${decl.minimum}`)
    }
    if (typeof value === 'number' && decl.maximum !== undefined && value > decl.maximum) {
      problems.push(`${where}: ${value} is above the maximum ${decl.maximum}`)
    }
  }
  return values
}

function resolveInputs(
  stepName: string,
  declared: Record<string, string>,
  type: AnyStepType,
  spec: PipelineSpec,
  stepTypes: StepTypeRegistry,
  problems: string[],
): Record<string, StepInputRef> {
  const where = `steps.${stepName}.inputs`
  const inputs: Record<string, StepInputRef> = {}
  for (const [inputName, port] of Object.entries(type.inputs)) {
    if (!(inputName in declared)) {
      problems.push(
        `${where}: missing input "${inputName}" (a ${port.kind}) required by step type "${type.name}"`,
      )
    }
  }
  for (const [inputName, ref] of Object.entries(declared)) {
    const port = type.inputs[inputName]
    if (!port) {
      problems.push(
        `${where}.${inputName}: step type "${type.name}" has no input "${inputName}" (it has: ${Object.keys(type.inputs).join(', ') || 'none'})`,
      )
      continue
    }
    const match = STEP_REF.exec(ref.trim())
    if (!match?.[1] || !match[2]) {
      problems.push(
        `${where}.${inputName}: "${ref}" is not a reference like \${steps.<step>.outputs.<output>}`,
      )
      continue
    }
    const [, upstream, output] = match
    if (upstream === stepName) {
      problems.push(`${where}.${inputName}: a step cannot take its own output`)
      continue
    }
    const upstreamDecl = spec.steps[upstream]
    if (!upstreamDecl) {
      problems.push(`${where}.${inputName}: references unknown step "${upstream}"`)
      continue
    }
    const upstreamType = stepTypes.get(upstreamDecl.type)
    if (!upstreamType) continue // reported on the upstream step itself
    const outPort = upstreamType.outputs[output]
    if (!outPort) {
      problems.push(
        `${where}.${inputName}: step "${upstream}" has no output "${output}" (it has: ${Object.keys(upstreamType.outputs).join(', ')})`,
      )
      continue
    }
    if (outPort.kind !== port.kind) {
      problems.push(
        `${where}.${inputName}: expects a ${port.kind} but steps.${upstream}.outputs.${output} is a ${outPort.kind}`,
      )
      continue
    }
    inputs[inputName] = { step: upstream, output }
  }
  return inputs
}

function substituteParams(
  where: string,
  raw: Record<string, unknown>,
  params: Record<string, ParamValue>,
  declared: ReadonlySet<string>,
  problems: string[],
): Record<string, unknown> {
  const substitute = (value: unknown, place: string): unknown => {
    if (typeof value === 'string') {
      const whole = WHOLE_PARAM_REF.exec(value)
      if (whole?.[1]) {
        const v = params[whole[1]]
        // A declared param left without a value hands the choice to the step schema's default.
        if (v === undefined && !declared.has(whole[1]))
          problems.push(`${place}: ${missingParam(whole[1], params)}`)
        return v
      }
      return value.replace(PARAM_REF, (_, name: string) => {
        const v = params[name]
        if (v === undefined) problems.push(`${place}: ${missingParam(name, params)}`)
        return String(v ?? '')
      })
    }
    if (Array.isArray(value)) return value.map((v, i) => substitute(v, `${place}.${i}`))
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, `${place}.${k}`)]))
    }
    return value
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    const v = substitute(value, `${where}.params.${key}`)
    if (v !== undefined) out[key] = v
  }
  return out
}

function missingParam(name: string, params: Record<string, ParamValue>): string {
  return `\${params.${name}} has no value (declare it under params: with a default, or pass --set ${name}=...; known: ${Object.keys(params).join(', ') || 'none'})`
}

function applyStepOverrides(
  stepName: string,
  type: AnyStepType,
  stepParams: Record<string, unknown>,
  overrides: readonly string[],
): void {
  for (const text of overrides) {
    const override = parseOverride(text)
    const [target, param] = override.key.split('.')
    if (target !== stepName || !param) continue
    const schema: TSchema | undefined = (type.params.properties as Record<string, TSchema>)[param]
    if (!schema) {
      throw new PipelineOverrideError(text, `step "${stepName}" (${type.name}) has no param "${param}"`)
    }
    const valueType = (schema as { type?: unknown }).type
    stepParams[param] =
      valueType === 'object' || valueType === 'array'
        ? coerceStructuredOverride(override, valueType)
        : coerceOverride(override, valueType)
  }
}

/** Kahn's algorithm; whatever is left once nothing is ready forms (or hangs off) a cycle. */
function orderSteps(steps: ResolvedStep[], problems: string[]): ResolvedStep[] {
  const remaining = new Map(steps.map((s) => [s.name, s]))
  const ordered: ResolvedStep[] = []
  while (remaining.size > 0) {
    const ready = [...remaining.values()].find((s) => s.dependsOn.every((d) => !remaining.has(d)))
    if (!ready) {
      problems.push(`steps: dependency cycle between ${[...remaining.keys()].join(', ')}`)
      return steps
    }
    ordered.push(ready)
    remaining.delete(ready.name)
  }
  return ordered
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
