import { Command } from 'commander'
import type { CliContext } from './context.js'

/** Each command file adds its sub-commands; this list is the CLI's table of contents. */
const commandModules: Array<() => Promise<{ register(program: Command, ctx: () => CliContext): void }>> = [
  () => import('./commands/models.js'),
  () => import('./commands/models-export.js'), // after models.js: adds `export` to its `models` group
  () => import('./commands/pipeline.js'),
  // after pipeline.js: adds `render` to its `pipeline` group
  () => import('./commands/pipeline-render.js'),
  () => import('./commands/pipeline-params.js'), // after pipeline.js, like render
  () => import('./commands/data.js'),
  () => import('./commands/data-feedback.js'), // after data.js: adds `export-feedback` to its `data` group
  () => import('./commands/retrain.js'),
  () => import('./commands/serve.js'),
  () => import('./commands/evaluate.js'),
  () => import('./commands/keys.js'),
  () => import('./commands/bins.js'),
]

/** The `sportscan` program with every command; `getContext` is asked for lazily, inside an action. */
export async function buildProgram(getContext: () => CliContext): Promise<Command> {
  const program = new Command('sportscan')
    .description('Recognise sports balls in photos: data, training pipeline, model registry, API.')
    .option('--verbose', 'print the stack trace of an error after its message')
    .showHelpAfterError()
    .exitOverride()
  for (const load of commandModules) (await load()).register(program, getContext)
  return program
}
