import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Option, type Command } from 'commander'
import { stringify } from 'yaml'
import {
  readPipelineSpec,
  renderArgoWorkflow,
  renderKubernetesJob,
  type RenderOptions,
} from '../../pipeline/index.js'
import type { CliContext } from '../context.js'

const DEFAULT_PIPELINE = 'pipelines/sports-ball-classification.yaml'
/** Where the release workflow publishes the image (deploy/ pins the same). */
const IMAGE_REPOSITORY = 'ghcr.io/sportscan/sportscan'
// src/cli/commands/ and dist/cli/commands/ both sit three levels below the package root.
const PACKAGE_JSON = new URL('../../../package.json', import.meta.url)

/** This package's version: the image tag released with it. */
async function readPackageVersion(): Promise<string> {
  const pkg: unknown = JSON.parse(await readFile(PACKAGE_JSON, 'utf8'))
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined
  if (typeof version !== 'string') throw new Error('package.json has no version: give --image')
  return version
}

interface RenderCommandOptions {
  target: 'argo' | 'k8s-jobs'
  image?: string
  set: string[]
  fileInImage?: string
  homeClaim: string
  datasetsClaim: string
  configMap: string
  databaseSecret: string
  serviceAccount: string
  namespace?: string
  out?: string
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function parseSets(sets: string[]): Record<string, string> {
  const overrides: Record<string, string> = {}
  for (const text of sets) {
    const eq = text.indexOf('=')
    if (eq <= 0) throw new Error(`--set ${text}: expected name=value`)
    overrides[text.slice(0, eq).trim()] = text.slice(eq + 1)
  }
  return overrides
}

function parseSecretRef(text: string): { name: string; key: string } {
  const [name, key] = text.split(':')
  if (!name || !key) throw new Error(`--database-secret ${text}: expected <secret name>:<key>`)
  return { name, key }
}

/** `sportscan pipeline render`: the pipeline as an Argo Workflow or a plain Kubernetes Job, as YAML. */
export function register(program: Command, _getContext: () => CliContext): void {
  // `pipeline run` and `pipeline step` live in another module; share its group when it registered first
  const pipeline =
    program.commands.find((c) => c.name() === 'pipeline') ??
    program.command('pipeline').description('Run the training pipeline, or render it for a cluster.')
  pipeline
    .command('render [file]')
    .description(
      `Write the pipeline (default ${DEFAULT_PIPELINE}) as an Argo Workflow or a Kubernetes Job: one ` +
        'container per step running `sportscan pipeline step` in the image, results on the SPORTSCAN_HOME volume.',
    )
    .addOption(
      new Option('--target <target>', 'workflow engine').choices(['argo', 'k8s-jobs']).default('argo'),
    )
    .option(
      '--image <image>',
      `the SportScan image every step runs in (default: ${IMAGE_REPOSITORY}:<this package's version>, as deploy/ pins it)`,
    )
    .option('--set <name=value>', 'param value written into the output (repeatable)', collect, [])
    .option('--file-in-image <path>', 'the pipeline file inside the image (default: [file] as given)')
    .option('--home-claim <pvc>', 'PersistentVolumeClaim holding SPORTSCAN_HOME', 'sportscan-home')
    .option(
      '--datasets-claim <pvc>',
      'PersistentVolumeClaim mounted read-only at /data',
      'sportscan-datasets',
    )
    .option('--config-map <name>', 'ConfigMap loaded as environment', 'sportscan-config')
    .option('--database-secret <name:key>', 'Secret key holding DATABASE_URL', 'sportscan-database:url')
    .option('--service-account <name>', 'service account of the pods', 'sportscan')
    .option('--namespace <namespace>', 'namespace written into the output')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (file: string | undefined, options: RenderCommandOptions) => {
      const source = file ?? DEFAULT_PIPELINE
      const spec = await readPipelineSpec(source)
      const pipelineFile = options.fileInImage ?? source
      if (path.isAbsolute(pipelineFile) || pipelineFile.startsWith('..')) {
        throw new Error(`${pipelineFile} is outside the image's working directory: give --file-in-image`)
      }
      const renderOptions: RenderOptions = {
        image: options.image ?? `${IMAGE_REPOSITORY}:${await readPackageVersion()}`,
        pipelineFile,
        overrides: parseSets(options.set),
        homeClaim: options.homeClaim,
        datasetsClaim: options.datasetsClaim,
        configMap: options.configMap,
        databaseSecret: parseSecretRef(options.databaseSecret),
        serviceAccount: options.serviceAccount,
        ...(options.namespace ? { namespace: options.namespace } : {}),
      }
      const manifest =
        options.target === 'argo'
          ? renderArgoWorkflow(spec, renderOptions)
          : renderKubernetesJob(spec, renderOptions)
      // no YAML anchors: shared objects are written out in full, as people write manifests
      const yaml = stringify(manifest, { aliasDuplicateObjects: false })
      // the exact command on line 1, so a committed copy says how to regenerate it
      const command = [
        'sportscan',
        ...process.argv.slice(2).filter((a) => a !== '--out' && a !== options.out),
      ]
      const text = `# Generated by \`${command.join(' ')}\`; do not edit, re-run it.\n${yaml}`
      if (options.out) await writeFile(options.out, text)
      else process.stdout.write(text)
    })
}
