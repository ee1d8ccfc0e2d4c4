import { stat } from 'node:fs/promises'
import path from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import {
  ARTIFACT_FILES,
  DEFAULT_OPSET,
  MAX_OPSET,
  MIN_OPSET,
  ONNX_MODEL_FILE,
  initBackend,
  readArtifactSidecar,
  writeOnnxForArtifact,
} from '../../model/index.js'
import { registryRoot, resolveModelRef } from '../../registry/index.js'
import type { CliContext } from '../context.js'

interface ExportOptions {
  format: 'onnx'
  out?: string
  opset: number
}

/**
 * `sportscan models export <ref|artifact-dir> --format onnx [--out file]`. Registered artifacts are
 * immutable, so a registry model is written to `--out` (default `./<name>-<version>.onnx`); a plain artifact
 * folder (e.g. the bundled `models/sports-ball-cnn`) gets `model.onnx` inside it by default, where
 * `loadOnnxClassifier` and the server look for it.
 */
export function register(program: Command, getContext: () => CliContext): void {
  // The `models` group belongs to models.ts (registered before this module); attach to it, or create it.
  const models =
    program.commands.find((c) => c.name() === 'models') ??
    program.command('models').description('List, inspect, promote and export models.')
  models
    .command('export <ref>')
    .description(
      'Export a model to ONNX: name@version, name@production|staging, name (latest), or an artifact folder.',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['onnx']).default('onnx'))
    .option('--out <file>', 'where to write (registry models default to ./<name>-<version>.onnx)')
    .option(`--opset <n>`, `ONNX opset, ${MIN_OPSET}..${MAX_OPSET}`, parseOpset, DEFAULT_OPSET)
    .action(async (ref: string, options: ExportOptions) => {
      const ctx = getContext()
      const source = await resolveSource(ref, ctx)
      const file = path.resolve(options.out ?? source.defaultOut)
      // Reading the TF.js model needs a started backend; any one will do, the export only reads weights.
      await initBackend({ log: ctx.log })
      const bytes = await writeOnnxForArtifact(source.dir, file, { opset: options.opset, log: ctx.log })
      console.log(`${source.label} -> ${file} (${(bytes / 1024).toFixed(0)} KB, ONNX opset ${options.opset})`)
    })
}

interface ExportSource {
  dir: string
  label: string
  defaultOut: string
}

async function resolveSource(ref: string, ctx: CliContext): Promise<ExportSource> {
  const dir = path.resolve(ref)
  if (await isArtifactFolder(dir)) {
    const registry = path.resolve(registryRoot(ctx.config.home))
    if (!dir.startsWith(`${registry}${path.sep}`)) {
      return { dir, label: dir, defaultOut: path.join(dir, ONNX_MODEL_FILE) }
    }
    // A registry folder named by path: still immutable, so the file goes to the working directory.
    const { metadata } = await readArtifactSidecar(dir)
    const name = metadata ? `${metadata.name}-${metadata.version}` : path.basename(dir)
    return { dir, label: dir, defaultOut: `${name}.onnx` }
  }
  const resolved = await resolveModelRef((await ctx.db()).db, ref)
  return {
    dir: resolved.artifactPath,
    label: resolved.ref,
    defaultOut: `${resolved.row.name}-${resolved.row.version}.onnx`,
  }
}

async function isArtifactFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dir, ARTIFACT_FILES.model))).isFile()
  } catch (err) {
    // Absent: the argument is then read as a registry reference.
    if (err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR'))
      return false
    throw err
  }
}

function parseOpset(value: string): number {
  const opset = Number(value)
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new InvalidArgumentError(`choose an integer from ${MIN_OPSET} to ${MAX_OPSET}`)
  }
  return opset
}
