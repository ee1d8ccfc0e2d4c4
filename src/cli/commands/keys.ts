import type { Command } from 'commander'
import { ROLES, createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from '../../auth/index.js'
import type { CliContext } from '../context.js'
import { printTable } from '../print-table.js'

export function register(program: Command, getContext: () => CliContext): void {
  const keys = program
    .command('keys')
    .description('Create, list and revoke API keys (sent as "Authorization: Bearer <key>").')

  keys
    .command('create')
    .description('Create a key and print it once: only a hash is stored, it cannot be shown again.')
    .requiredOption('--role <role>', `what the key may do: ${ROLES.join(', ')}`)
    .requiredOption('--name <name>', 'who or what uses it, e.g. belt-3')
    .option('--json', 'print one JSON object')
    .action(async (options: { role: string; name: string; json?: boolean }) => {
      const ctx = getContext()
      const { key, info } = await createApiKey((await ctx.db()).db, {
        name: options.name,
        role: options.role,
      })
      if (options.json) {
        console.log(JSON.stringify({ ...toJson(info), key }, null, 2))
        return
      }
      console.log(`created key ${info.id} (${info.role}, "${info.name}", prefix ${info.prefix}):`)
      console.log(key)
      console.log('store it now: it is not kept and cannot be shown again')
    })

  keys
    .command('list')
    .description('List keys (never the keys themselves).')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const ctx = getContext()
      const listed = await listApiKeys((await ctx.db()).db)
      if (options.json) {
        console.log(JSON.stringify(listed.map(toJson), null, 2))
        return
      }
      if (listed.length === 0) {
        console.log('no API keys yet: sportscan keys create --role admin --name <who>')
        return
      }
      const rows = [
        ['ID', 'PREFIX', 'ROLE', 'NAME', 'CREATED', 'REVOKED'],
        ...listed.map((k) => [
          String(k.id),
          k.prefix,
          k.role,
          k.name,
          formatDate(k.createdAt),
          formatDate(k.revokedAt),
        ]),
      ]
      printTable(rows)
    })

  keys
    .command('revoke <ref>')
    .description('Revoke a key by id or prefix; it stops working on the next request.')
    .action(async (ref: string) => {
      const ctx = getContext()
      const info = await revokeApiKey((await ctx.db()).db, ref)
      console.log(`revoked key ${info.id} (${info.role}, "${info.name}", prefix ${info.prefix})`)
    })
}

function formatDate(date: Date | null): string {
  return date === null ? '-' : date.toISOString().slice(0, 19).replace('T', ' ')
}

function toJson(info: ApiKeyInfo) {
  return {
    id: info.id,
    name: info.name,
    role: info.role,
    prefix: info.prefix,
    created_at: info.createdAt.toISOString(),
    revoked_at: info.revokedAt?.toISOString() ?? null,
  }
}
