import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PIPELINE_FILE,
  PipelineOverrideError,
  PipelineSpecError,
  defaultStepTypes,
  loadPipeline,
  parsePipelineSpec,
  resolvePipeline,
} from '../../src/pipeline/index.js'
import { FAKE_PIPELINE, createFakeStepTypes } from './fake-steps.js'

const stepTypes = createFakeStepTypes(new Map())
const FROM_SCRATCH = path.join(path.dirname(DEFAULT_PIPELINE_FILE), 'from-scratch.yaml')

function resolve(yaml: string, overrides: string[] = []) {
  return resolvePipeline(parsePipelineSpec(yaml, 'test.yaml'), { file: 'test.yaml', stepTypes, overrides })
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof PipelineSpecError) return [...err.problems]
    throw err
  }
  throw new Error('expected a PipelineSpecError')
}

describe('resolvePipeline', () => {
  it('orders steps by their inputs and substitutes typed params', () => {
    const pipeline = resolve(FAKE_PIPELINE)
    expect(pipeline.steps.map((s) => s.name)).toEqual(['source', 'scale', 'report'])
    expect(pipeline.steps[0]?.params).toEqual({ value: 3, note: 'hello' })
    expect(pipeline.steps[2]?.params).toEqual({ shouldFail: false })
    expect(pipeline.steps[2]?.inputs).toEqual({
      number: { step: 'scale', output: 'number' },
      text: { step: 'source', output: 'text' },
    })
  })

  it('applies --set overrides typed by the param declaration, and step.param overrides', () => {
    const pipeline = resolve(FAKE_PIPELINE, ['value=7', 'shouldFail=true', 'source.note=a=b'])
    expect(pipeline.params).toMatchObject({ value: 7, shouldFail: true })
    expect(pipeline.steps[0]?.params).toEqual({ value: 7, note: 'a=b' })
    expect(pipeline.steps[2]?.params).toEqual({ shouldFail: true })
  })

  it('refuses overrides of the wrong type or for unknown params', () => {
    expect(() => resolve(FAKE_PIPELINE, ['value=three'])).toThrow(/value=three: expected an integer/)
    expect(() => resolve(FAKE_PIPELINE, ['epochs=3'])).toThrow(PipelineOverrideError)
    expect(() => resolve(FAKE_PIPELINE, ['scale.nope=3'])).toThrow(
      /step "scale" \(scale\) has no param "nope"/,
    )
    expect(() => resolve(FAKE_PIPELINE, ['ghost.value=3'])).toThrow(/no step "ghost"/)
    expect(() => resolve(FAKE_PIPELINE, ['factor=0'])).toThrow(/params.factor: 0 is below the minimum 1/)
  })

  it('reads a map or list step param from --set as YAML flow, and refuses other shapes', async () => {
    const load = (overrides: string[]) =>
      loadPipeline(FROM_SCRATCH, { stepTypes: defaultStepTypes(), overrides })
    const pipeline = await load(['train.architectureParams={widths: [16, 32], stemStride: 2}'])
    expect(pipeline.steps.find((s) => s.name === 'train')?.params).toMatchObject({
      architectureParams: { widths: [16, 32], stemStride: 2 },
    })
    const json = await load(['train.architectureParams={"dropout": 0.5}'])
    expect(json.steps.find((s) => s.name === 'train')?.params).toMatchObject({
      architectureParams: { dropout: 0.5 },
    })
    await expect(load(['train.architectureParams=[1, 2]'])).rejects.toThrow(/expected a map/)
    await expect(load(['train.architectureParams=stemStride'])).rejects.toThrow(/expected a map/)
    await expect(load(['train.architectureParams={a: [1'])).rejects.toThrow(/expected a map/)
  })

  it('leaves a declared param without default or --set to the step schema, which holds the one default', async () => {
    const pipeline = await loadPipeline(DEFAULT_PIPELINE_FILE, {
      stepTypes: defaultStepTypes(),
      overrides: [],
    })
    const train = pipeline.steps.find((s) => s.name === 'train')!
    const schemaDefaults = train.type.params.properties as Record<string, { default?: unknown }>
    expect(pipeline.params).not.toHaveProperty('epochs')
    for (const name of ['backbone', 'head', 'views', 'epochs', 'fineTuneEpochs']) {
      expect(train.params[name], name).toEqual(schemaDefaults[name]!.default)
    }
    const set = await loadPipeline(DEFAULT_PIPELINE_FILE, {
      stepTypes: defaultStepTypes(),
      overrides: ['epochs=7'],
    })
    expect(set.steps.find((s) => s.name === 'train')!.params.epochs).toBe(7)
  })

  it('names an unknown step type', () => {
    const yaml = FAKE_PIPELINE.replace('type: scale', 'type: scael')
    expect(problemsOf(() => resolve(yaml))).toEqual([
      'steps.scale.type: unknown step type "scael" (known: source, scale, report)',
    ])
  })

  it('names a missing input and an unknown input', () => {
    const yaml = FAKE_PIPELINE.replace(
      '      text: ${steps.source.outputs.text}\n',
      '      txt: ${steps.source.outputs.text}\n',
    )
    expect(problemsOf(() => resolve(yaml))).toEqual([
      'steps.report.inputs: missing input "text" (a text) required by step type "report"',
      'steps.report.inputs.txt: step type "report" has no input "txt" (it has: number, text)',
    ])
  })

  it('names references to an unknown step, an unknown output, or an output of another kind', () => {
    const unknownStep = FAKE_PIPELINE.replace('${steps.scale.outputs.number}', '${steps.scal.outputs.number}')
    expect(problemsOf(() => resolve(unknownStep))).toEqual([
      'steps.report.inputs.number: references unknown step "scal"',
    ])
    const unknownOutput = FAKE_PIPELINE.replace('${steps.scale.outputs.number}', '${steps.scale.outputs.sum}')
    expect(problemsOf(() => resolve(unknownOutput))).toEqual([
      'steps.report.inputs.number: step "scale" has no output "sum" (it has: number)',
    ])
    const wrongKind = FAKE_PIPELINE.replace('${steps.scale.outputs.number}', '${steps.source.outputs.text}')
    expect(problemsOf(() => resolve(wrongKind))).toEqual([
      'steps.report.inputs.number: expects a number but steps.source.outputs.text is a text',
    ])
    const notARef = FAKE_PIPELINE.replace('${steps.scale.outputs.number}', 'scale.number')
    expect(problemsOf(() => resolve(notARef))[0]).toMatch(
      /^steps.report.inputs.number: "scale.number" is not a reference/,
    )
  })

  it('names a bad parameter type, an unknown parameter and an undeclared pipeline param', () => {
    const badType = FAKE_PIPELINE.replace('factor: ${params.factor}', 'factor: two')
    expect(problemsOf(() => resolve(badType))).toEqual(['steps.scale.params.factor: must be integer'])
    const unknown = FAKE_PIPELINE.replace('factor: ${params.factor}', 'factor: 2\n      speed: 3')
    expect(problemsOf(() => resolve(unknown))).toEqual(['steps.scale.params.speed: is not allowed here'])
    const undeclared = FAKE_PIPELINE.replace('value: ${params.value}', 'value: ${params.count}')
    expect(problemsOf(() => resolve(undeclared))[0]).toMatch(
      /^steps.source.params.value: \$\{params.count\} has no value/,
    )
    const badOutputs = FAKE_PIPELINE.replace('outputs: [number, text]', 'outputs: [number, txt]')
    expect(problemsOf(() => resolve(badOutputs))[0]).toMatch(
      /^steps.source.outputs: step type "source" has no output "txt"/,
    )
  })

  it('names a dependency cycle', () => {
    const yaml = `
name: loop
steps:
  first:
    type: scale
    inputs: { number: '\${steps.second.outputs.number}' }
    params: { factor: 1 }
  second:
    type: scale
    inputs: { number: '\${steps.first.outputs.number}' }
    params: { factor: 1 }
`
    expect(problemsOf(() => resolve(yaml))).toEqual(['steps: dependency cycle between first, second'])
  })

  it('reports YAML syntax errors with their line, and schema errors with their path', () => {
    expect(problemsOf(() => parsePipelineSpec('name: x\nsteps: [\n', 'bad.yaml'))[0]).toMatch(
      /^line \d+, column \d+:/,
    )
    expect(problemsOf(() => parsePipelineSpec('name: x\nsteps:\n  a: { typ: b }\n', 'bad.yaml'))).toEqual([
      'steps.a: missing key type',
      'steps.a.typ: is not allowed here',
    ])
    expect(
      problemsOf(() =>
        parsePipelineSpec('name: x\nparams:\n  n: { type: int }\nsteps: {a: {type: b}}\n', 'bad.yaml'),
      ),
    ).toEqual(['params.n.type: must be one of "string", "integer", "number", "boolean"'])
  })
})
