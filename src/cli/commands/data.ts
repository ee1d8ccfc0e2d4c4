import { SingleBar, Presets } from 'cli-progress'
import type { Command } from 'commander'
import {
  BALL_LABELS,
  datasetStats,
  importDataset,
  listDatasets,
  loadManifest,
  resolveDatasetVersion,
  type DatasetStats,
  type ImportProgress,
  type ImportResult,
} from '../../data/index.js'
import type { CliContext } from '../context.js'
import { printTable } from '../print-table.js'

export function register(program: Command, getContext: () => CliContext): void {
  const data = program.command('data').description('Import, list and inspect versioned image datasets.')

  data
    .command('import <dir>')
    .description('Import a folder with one sub-folder per ball class as a content-addressed dataset version.')
    .option('--base <version>', 'merge onto this dataset version (new files win on the same path)')
    .option('--json', 'print one JSON object instead of text')
    .action(async (dir: string, options: { base?: string; json?: boolean }) => {
      const ctx = getContext()
      const { db } = await ctx.db()
      const baseVersion = options.base ? await resolveDatasetVersion(db, options.base) : undefined
      const controller = new AbortController()
      const onSigint = () => controller.abort(new Error('interrupted'))
      process.once('SIGINT', onSigint)
      const progress = createProgress()
      try {
        const result = await importDataset(dir, {
          home: ctx.config.home,
          db,
          log: ctx.log,
          baseVersion,
          signal: controller.signal,
          onProgress: progress.update,
        })
        progress.stop()
        printImport(result, options.json ?? false)
      } finally {
        progress.stop()
        process.off('SIGINT', onSigint)
      }
    })

  data
    .command('list')
    .description('List every imported dataset version, newest first.')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const ctx = getContext()
      const rows = await listDatasets((await ctx.db()).db)
      if (options.json) {
        console.log(JSON.stringify(rows, null, 2))
        return
      }
      if (rows.length === 0) {
        console.log('no datasets yet: run `sportscan data import <dir>`')
        return
      }
      printTable([
        ['VERSION', 'IMAGES', 'CLASSES', 'PARENT', 'CREATED', 'SOURCE'],
        ...rows.map((r) => [
          r.version.slice(0, 12),
          String(r.imageCount),
          String(Object.keys(r.classCounts).length),
          r.parentVersion?.slice(0, 12) ?? '-',
          r.createdAt.toISOString().slice(0, 19).replace('T', ' '),
          r.source,
        ]),
      ])
    })

  data
    .command('show <version>')
    .description(
      'Show class counts and image size statistics of a dataset version (a unique prefix will do).',
    )
    .option('--json', 'print one JSON object')
    .action(async (prefix: string, options: { json?: boolean }) => {
      const ctx = getContext()
      const version = await resolveDatasetVersion((await ctx.db()).db, prefix)
      const stats = datasetStats(await loadManifest(ctx.config.home, version))
      if (options.json) {
        console.log(JSON.stringify(stats, null, 2))
        return
      }
      printStats(stats)
    })
}

/** A bar on stderr (stdout stays for results); cli-progress draws nothing when stderr is not a terminal. */
function createProgress(): { update: (p: ImportProgress) => void; stop: () => void } {
  let bar: SingleBar | undefined
  let phase: ImportProgress['phase'] | undefined
  const stop = () => {
    bar?.stop()
    bar = undefined
  }
  const update = (p: ImportProgress) => {
    if (p.phase !== phase) {
      stop()
      phase = p.phase
      // Nothing to store on a re-import: no empty 0/0 bar.
      if (p.total === 0) return
      bar = new SingleBar(
        {
          format: `${p.phase === 'checking' ? 'hashing + decoding' : 'storing'} [{bar}] {value}/{total} {percentage}% eta {eta}s`,
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      )
      bar.start(p.total, p.done)
    } else {
      bar?.update(p.done)
    }
  }
  return { update, stop }
}

function printImport(result: ImportResult, json: boolean): void {
  const counts = Object.fromEntries(
    BALL_LABELS.map((l) => [l, result.manifest.entries.filter((e) => e.label === l).length]).filter(
      ([, n]) => n !== 0,
    ),
  )
  if (json) {
    console.log(
      JSON.stringify(
        {
          version: result.version,
          isNew: result.isNew,
          images: result.manifest.entries.length,
          classCounts: counts,
          storedObjects: result.storedObjects,
          skipped: result.skipped,
        },
        null,
        2,
      ),
    )
    return
  }
  console.log(`dataset version ${result.version}`)
  console.log(
    result.isNew
      ? `new version: ${result.manifest.entries.length} images in ${result.manifest.classes.length} classes, ${result.storedObjects} new files stored`
      : `already imported: same content as version ${result.version.slice(0, 12)}, nothing new stored`,
  )
  printTable([['CLASS', 'IMAGES'], ...Object.entries(counts).map(([label, n]) => [label, String(n)])])
  if (result.skipped.length > 0) {
    console.log(`\nskipped ${result.skipped.length} file(s):`)
    for (const s of result.skipped) console.log(`  ${s.path}: ${s.reason}`)
  }
}

function printStats(stats: DatasetStats): void {
  console.log(`dataset version ${stats.version}`)
  console.log(`${stats.imageCount} images, ${(stats.bytes / 1024 / 1024).toFixed(1)} MiB`)
  console.log(
    `formats: ${Object.entries(stats.formats)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ')}\n`,
  )
  printTable([
    ['CLASS', 'IMAGES'],
    ...Object.entries(stats.classCounts).map(([label, n]) => [label, String(n)]),
  ])
  if (stats.width && stats.height) {
    console.log('')
    printTable([
      ['SIZE (px)', 'MIN', 'MEDIAN', 'MAX'],
      ['width', String(stats.width.min), String(stats.width.median), String(stats.width.max)],
      ['height', String(stats.height.min), String(stats.height.median), String(stats.height.max)],
    ])
  }
}
