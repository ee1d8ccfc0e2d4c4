import path from 'node:path'
import type { Command } from 'commander'
import { getModel, listModels, promoteAlias, type ModelSummary } from '../../registry/index.js'
import type { CliContext } from '../context.js'
import { findUnregisteredServedModel, type UnregisteredServedModel } from './served-model-info.js'
import { printTable } from '../print-table.js'

export function register(program: Command, getContext: () => CliContext): void {
  const models = program.command('models').description('List, inspect and promote registered models.')

  models
    .command('list')
    .description(
      'List every registered model version with its aliases, and the bundled model when it serves.',
    )
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const ctx = getContext()
      const db = (await ctx.db()).db
      const [listed, unregistered] = await Promise.all([
        listModels(db),
        findUnregisteredServedModel(db, ctx.config.serving),
      ])
      if (options.json) {
        const served = unregistered === undefined ? [] : [unregisteredJson(unregistered)]
        console.log(JSON.stringify([...served, ...listed.map(toJson)], null, 2))
        return
      }
      if (listed.length === 0 && unregistered === undefined) {
        console.log('no model serves and none is registered: run `sportscan pipeline run`')
        return
      }
      printTable([
        ['MODEL', 'ALIASES', 'ARCHITECTURE', 'ACCURACY', 'DATASET', 'CREATED'],
        ...(unregistered === undefined
          ? []
          : [
              [
                unregistered.ref,
                `serving (${unregistered.origin})`,
                '-',
                formatAccuracy(unregistered.metrics),
                '-',
                '-',
              ],
            ]),
        ...listed.map((m) => [
          m.ref,
          m.aliases.join(',') || '-',
          m.row.architecture,
          formatAccuracy(m.row.metrics),
          m.row.datasetVersion?.slice(0, 12) ?? '-',
          m.row.createdAt.toISOString().slice(0, 19).replace('T', ' '),
        ]),
      ])
    })

  models
    .command('show <ref>')
    .description(
      'Show one model: name@version, name@production|staging, name (latest), or the bundled model that serves (its ref, or "bundled").',
    )
    .option('--json', 'print one JSON object')
    .action(async (ref: string, options: { json?: boolean }) => {
      const ctx = getContext()
      const db = (await ctx.db()).db
      const unregistered = await findUnregisteredServedModel(db, ctx.config.serving)
      if (unregistered !== undefined && (ref === unregistered.ref || ref === unregistered.origin)) {
        printUnregistered(unregistered, options.json === true)
        return
      }
      const model = await getModel(db, ref)
      if (options.json) {
        console.log(JSON.stringify(toJson(model), null, 2))
        return
      }
      const row = model.row
      const lines: Array<[string, string]> = [
        ['model', model.ref],
        ['aliases', model.aliases.join(', ') || '-'],
        ['architecture', row.architecture],
        ['artifact', model.artifactPath],
        ['dataset', row.datasetVersion ?? '-'],
        ['split', row.split ? JSON.stringify(row.split) : '-'],
        ['code version', row.codeVersion ?? '-'],
        ['training', row.trainingSeconds === null ? '-' : `${row.trainingSeconds.toFixed(1)} s`],
        ['created', row.createdAt.toISOString()],
        ['params', JSON.stringify(row.params)],
        ['accuracy', formatAccuracy(row.metrics)],
        ['macro F1', formatNumber(row.metrics.macroF1)],
      ]
      for (const [key, value] of lines) console.log(`${key.padEnd(13)} ${value}`)
    })

  models
    .command('promote <ref>')
    .description('Point an alias (production or staging) at a model version; a running server reloads.')
    .requiredOption('--alias <alias>', 'production or staging')
    .action(async (ref: string, options: { alias: string }) => {
      const ctx = getContext()
      const promoted = await promoteAlias((await ctx.db()).db, ref, options.alias)
      console.log(`${promoted.model.row.name}@${promoted.alias} -> ${promoted.model.ref}`)
    })
}

function toJson(model: ModelSummary) {
  const { row } = model
  return {
    ref: model.ref,
    name: row.name,
    version: row.version,
    aliases: model.aliases,
    architecture: row.architecture,
    artifactPath: model.artifactPath,
    datasetVersion: row.datasetVersion,
    split: row.split,
    params: row.params,
    metrics: row.metrics,
    codeVersion: row.codeVersion,
    trainingSeconds: row.trainingSeconds,
    createdAt: row.createdAt.toISOString(),
  }
}

function formatNumber(value: unknown): string {
  return typeof value === 'number' ? value.toFixed(4) : '-'
}

function formatAccuracy(metrics: Record<string, unknown>): string {
  return typeof metrics.accuracy === 'number' ? `${(metrics.accuracy * 100).toFixed(1)}%` : '-'
}

function unregisteredJson(model: UnregisteredServedModel) {
  return {
    ref: model.ref,
    origin: model.origin,
    aliases: [],
    isServing: true,
    artifactPath: model.dir,
    metrics: model.metrics,
  }
}

function printUnregistered(model: UnregisteredServedModel, asJson: boolean): void {
  if (asJson) {
    console.log(JSON.stringify(unregisteredJson(model), null, 2))
    return
  }
  const lines: Array<[string, string]> = [
    ['model', model.ref],
    ['origin', `${model.origin} (not in the registry; serves until a version is promoted to production)`],
    ['artifact', model.dir],
    ['model card', model.hasModelCard ? path.join(model.dir, 'README.md') : '-'],
    ['accuracy', formatAccuracy(model.metrics)],
    ['macro F1', formatNumber(model.metrics.macroF1)],
  ]
  for (const [key, value] of lines) console.log(`${key.padEnd(13)} ${value}`)
}
