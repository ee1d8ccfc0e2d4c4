import { InvalidArgumentError } from 'commander'

/** `--since 2025-06-01` or a full ISO timestamp; a date alone means its start in UTC. */
export function parseDate(value: string): Date {
  const date = new Date(value)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected a date such as 2025-06-01 or 2025-06-01T08:00:00Z')
  }
  return date
}
