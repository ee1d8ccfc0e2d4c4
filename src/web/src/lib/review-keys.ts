/** What a key press on the review page does to the scan on screen. */
export type ReviewAction = { kind: 'guess'; index: number } | { kind: 'not-a-ball' } | { kind: 'skip' }

/**
 * Shortcuts for fast review: 1-3 accept the model's first, second or third guess, X marks "not a ball",
 * S skips to the next scan. Keys typed into a form field, or with a modifier, are not shortcuts.
 */
export function reviewActionFor(event: {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  targetTag: string
}): ReviewAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(event.targetTag.toUpperCase())) return null
  const key = event.key.toLowerCase()
  if (key === '1' || key === '2' || key === '3') return { kind: 'guess', index: Number(key) - 1 }
  if (key === 'x') return { kind: 'not-a-ball' }
  if (key === 's') return { kind: 'skip' }
  return null
}
