import { readFile, writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { listBinAssignments } from '../../db/index.js'
import {
  assignBin,
  exportBinsCsv,
  importBinsCsv,
  parseCapacity,
  parseSite,
  unassignBin,
} from '../../putaway/index.js'
import type { CliContext } from '../context.js'
import { printTable } from '../print-table.js'

/** Who the CLI records as having changed the plan: the server's own operator, not an API key. */
const CLI_USER = 'cli'

export function register(program: Command, getContext: () => CliContext): void {
  const bins = program
    .command('bins')
    .description('Put-away: which bin each ball type goes in, per site (scans answer it as "bin").')
  const siteOption = (ctx: CliContext, site: string | undefined) => parseSite(site ?? ctx.config.putaway.site)

  bins
    .command('set <label> <bin>')
    .description('Assign a ball type to a bin at a site (the bin is created; another type may share it).')
    .option('--site <site>', 'warehouse or shop (default: SPORTSCAN_SITE, else main)')
    .option('--capacity <n>', 'balls the bin holds ("" for no limit); left out keeps the bin’s')
    .action(async (label: string, bin: string, options: { site?: string; capacity?: string }) => {
      const ctx = getContext()
      const row = await assignBin((await ctx.db()).db, {
        site: siteOption(ctx, options.site),
        ballLabel: label,
        binLabel: bin,
        ...(options.capacity === undefined ? {} : { capacity: parseCapacity(options.capacity) }),
        updatedBy: CLI_USER,
      })
      const capacity = row.capacity === null ? 'no capacity limit' : `capacity ${row.capacity}`
      console.log(`${row.ballLabel} -> bin ${row.binLabel} at site ${row.site} (${capacity})`)
    })

  bins
    .command('unset <label>')
    .description('Remove a ball type’s bin at a site; its scans then answer that no bin is assigned.')
    .option('--site <site>', 'warehouse or shop (default: SPORTSCAN_SITE, else main)')
    .action(async (label: string, options: { site?: string }) => {
      const ctx = getContext()
      const site = siteOption(ctx, options.site)
      await unassignBin((await ctx.db()).db, { site, ballLabel: label })
      console.log(`${label} has no bin at site ${site} any more`)
    })

  bins
    .command('list')
    .description('List assignments (all sites, or one).')
    .option('--site <site>', 'only this site')
    .option('--json', 'print a JSON array')
    .action(async (options: { site?: string; json?: boolean }) => {
      const ctx = getContext()
      const sites = options.site === undefined ? {} : { sites: [parseSite(options.site)] }
      const rows = await listBinAssignments((await ctx.db()).db, sites)
      if (options.json) {
        const json = rows.map((r) => ({
          site: r.site,
          label: r.ballLabel,
          bin: r.binLabel,
          capacity: r.capacity,
        }))
        console.log(JSON.stringify(json, null, 2))
        return
      }
      if (rows.length === 0) {
        console.log(
          'no bins assigned yet: sportscan bins set <ball type> <bin> --site <site>, or bins import <csv>',
        )
        return
      }
      const table = [
        ['SITE', 'BALL TYPE', 'BIN', 'CAPACITY'],
        ...rows.map((r) => [r.site, r.ballLabel, r.binLabel, r.capacity === null ? '-' : String(r.capacity)]),
      ]
      printTable(table)
    })

  bins
    .command('import <file>')
    .description(
      'Load assignments from a CSV (site,label,bin[,capacity]); a file with a bad line changes nothing.',
    )
    .option('--replace', 'each site in the file keeps only the file’s assignments')
    .action(async (file: string, options: { replace?: boolean }) => {
      const ctx = getContext()
      const csv = await readFile(file, 'utf8')
      const summary = await importBinsCsv((await ctx.db()).db, csv, {
        replace: options.replace === true,
        updatedBy: CLI_USER,
      })
      console.log(`imported ${summary.imported} bin assignments for site(s) ${summary.sites.join(', ')}`)
    })

  bins
    .command('export')
    .description('Print the assignments as CSV (what bins import reads).')
    .option('--site <site>', 'only this site')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (options: { site?: string; out?: string }) => {
      const ctx = getContext()
      const csv = await exportBinsCsv(
        (await ctx.db()).db,
        options.site === undefined ? {} : { site: options.site },
      )
      if (options.out === undefined) process.stdout.write(csv)
      else {
        await writeFile(options.out, csv)
        console.log(`wrote ${options.out}`)
      }
    })
}
