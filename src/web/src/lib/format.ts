/** 0.8734 -> "87.3%"; probabilities are shown to one decimal so close calls stay visible. */
export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '–'
  return `${(fraction * 100).toFixed(digits)}%`
}

/** An ISO instant in the reader's locale and time zone, e.g. "26 Nov 2026, 18:09". */
export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
}

/** `YYYY-MM-DD` -> "26 Nov"; the day is a calendar day, so it is read as UTC to avoid shifting it. */
export function formatDay(day: string, locale?: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return day
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' })
}

export function formatCount(n: number, locale?: string): string {
  return n.toLocaleString(locale)
}
