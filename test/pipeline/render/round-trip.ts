import { parsePipelineSpec, type PipelineSpec } from '../../../src/pipeline/index.js'

/** Reads back `pipeline step <name> <file> --run-dir <dir> --set k=v ...` as the renderers write it. */
export function parseStepArgs(args: string[]): {
  step: string
  file: string
  runDir: string
  sets: Map<string, string>
} {
  const [group, command, step, file, ...rest] = args
  if (group !== 'pipeline' || command !== 'step' || !step || !file) {
    throw new Error(`not a pipeline step command: ${args.join(' ')}`)
  }
  let runDir = ''
  const sets = new Map<string, string>()
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value = ''] = [rest[i], rest[i + 1]]
    if (flag === '--run-dir') runDir = value
    else if (flag === '--set') {
      const eq = value.indexOf('=')
      if (sets.has(value.slice(0, eq))) throw new Error(`--set ${value.slice(0, eq)} given twice`)
      sets.set(value.slice(0, eq), value.slice(eq + 1))
    } else throw new Error(`unexpected argument ${String(flag)}`)
  }
  return { step, file, runDir, sets }
}

/** The pipeline's params that have a default, as the strings `--set` takes (the others keep the step's). */
export function declaredParams(spec: PipelineSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec.params ?? {}).flatMap(([name, d]) =>
      d.default === undefined ? [] : [[name, String(d.default)]],
    ),
  )
}

/** Upstream steps of `step`, read straight from its `${steps.<name>.outputs.<output>}` inputs. */
export function declaredDependencies(spec: PipelineSpec, step: string): string[] {
  const refs = Object.values(spec.steps[step]?.inputs ?? {})
  return [...new Set(refs.map((ref) => /^\$\{steps\.([^.}]+)\./.exec(ref)?.[1] ?? `?${ref}`))]
}

/** Two branches between a source and a sink; `left_branch` needs a DNS-safe name; `name` has no default. */
export const DIAMOND: PipelineSpec = parsePipelineSpec(
  `name: diamond
params:
  epochs: { type: integer, default: 2 }
  name: { type: string }
steps:
  source: { type: prep, params: { n: '\${params.epochs}' }, outputs: [a] }
  left_branch: { type: split, inputs: { a: '\${steps.source.outputs.a}' } }
  right: { type: split, inputs: { a: '\${steps.source.outputs.a}' } }
  sink:
    type: register
    inputs: { l: '\${steps.left_branch.outputs.x}', r: '\${steps.right.outputs.x}' }
`,
  'diamond.yaml',
)
