import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Type } from 'typebox'
import { createStepTypeRegistry, defineStep, type StepTypeRegistry } from '../../src/pipeline/index.js'

/** Fast step types for engine tests; `runs` counts real executions per step name. */
export function createFakeStepTypes(runs: Map<string, number>): StepTypeRegistry {
  const count = (step: string) => runs.set(step, (runs.get(step) ?? 0) + 1)
  const source = defineStep({
    name: 'source',
    version: '1',
    description: 'emits a number and a text file',
    inputs: {},
    outputs: { number: { kind: 'number' }, text: { kind: 'text', isPath: true } },
    params: Type.Object({ value: Type.Integer(), note: Type.String({ default: 'none' }) }),
    async run(ctx) {
      count(ctx.stepName)
      ctx.progress(`writing ${ctx.params.value}`)
      await writeFile(path.join(ctx.outDir, 'note.txt'), `${ctx.params.note}:${ctx.params.value}`)
      return { number: ctx.params.value, text: 'note.txt' }
    },
  })
  const scale = defineStep({
    name: 'scale',
    version: '1',
    description: 'multiplies a number',
    inputs: { number: { kind: 'number' } },
    outputs: { number: { kind: 'number' } },
    params: Type.Object({ factor: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    async run(ctx) {
      count(ctx.stepName)
      const n = ctx.inputs.number
      if (typeof n !== 'number') throw new Error('number input is not a number')
      return { number: n * ctx.params.factor }
    },
  })
  const report = defineStep({
    name: 'report',
    version: '1',
    description: 'reads the number and the text, may fail on purpose',
    inputs: { number: { kind: 'number' }, text: { kind: 'text' } },
    outputs: { metrics: { kind: 'metrics' }, summary: { kind: 'text', isPath: true } },
    params: Type.Object({ shouldFail: Type.Boolean({ default: false }) }),
    async run(ctx) {
      count(ctx.stepName)
      const text = ctx.inputs.text
      if (typeof text !== 'string') throw new Error('text input is not a path')
      await writeFile(path.join(ctx.outDir, 'partial.txt'), 'half-written')
      if (ctx.params.shouldFail) throw new Error('the report exploded')
      const note = await readFile(text, 'utf8')
      await writeFile(path.join(ctx.outDir, 'summary.txt'), `${note} -> ${String(ctx.inputs.number)}`)
      return { metrics: { total: ctx.inputs.number ?? null }, summary: 'summary.txt' }
    },
  })
  return createStepTypeRegistry([source, scale, report])
}

export const FAKE_PIPELINE = `
name: fake
params:
  value: { type: integer, default: 3 }
  factor: { type: integer, default: 2, minimum: 1 }
  note: { type: string, default: hello }
  shouldFail: { type: boolean, default: false }
steps:
  report:
    type: report
    inputs:
      number: \${steps.scale.outputs.number}
      text: \${steps.source.outputs.text}
    params:
      shouldFail: \${params.shouldFail}
  source:
    type: source
    params:
      value: \${params.value}
      note: \${params.note}
    outputs: [number, text]
  scale:
    type: scale
    inputs:
      number: \${steps.source.outputs.number}
    params:
      factor: \${params.factor}
`
