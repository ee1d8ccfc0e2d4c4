import type { Command } from 'commander'
import { DEFAULT_PIPELINE_FILE, defaultStepTypes, loadPipeline } from '../../pipeline/index.js'
import type { CliContext } from '../context.js'

const collect = (value: string, previous: string[]) => [...previous, value]

/** `sportscan pipeline params`: what a run would use, so a YAML param left without default is not a mystery. */
export function register(program: Command, _getContext: () => CliContext): void {
  const pipeline = program.commands.find((c) => c.name() === 'pipeline')
  if (!pipeline) throw new Error('pipeline-params.ts must be registered after pipeline.ts')
  pipeline
    .command('params [file]')
    .description(
      "List every step's params with the values a run would use (YAML, --set, else the step's default).",
    )
    .option('--set <key=value>', 'override a param, as for `pipeline run` (repeatable)', collect, [])
    .option('--json', 'print {step: {param: value}} as JSON')
    .action(async (file: string | undefined, options: { set: string[]; json?: boolean }) => {
      const resolved = await loadPipeline(file ?? DEFAULT_PIPELINE_FILE, {
        stepTypes: defaultStepTypes(),
        overrides: options.set,
      })
      if (options.json) {
        console.log(
          JSON.stringify(Object.fromEntries(resolved.steps.map((s) => [s.name, s.params])), null, 2),
        )
        return
      }
      console.log(`pipeline ${resolved.name} (${resolved.file})`)
      for (const step of resolved.steps) {
        console.log(`${step.name} (${step.type.name})`)
        for (const [name, value] of Object.entries(step.params)) {
          console.log(`  ${`${step.name}.${name}`.padEnd(32)} ${JSON.stringify(value)}`)
        }
      }
    })
}
