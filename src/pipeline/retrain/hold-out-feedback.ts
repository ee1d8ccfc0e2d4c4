import { mkdir, rename } from 'node:fs/promises'
import path from 'node:path'
import { createSeededRandom, deriveSeed, shuffled, type ExportedFeedback } from '../../data/index.js'

export interface FeedbackHoldout {
  seed: number
  fraction: number
  /** Scored by the gate, never trained on. */
  heldOut: ExportedFeedback[]
  /** Merged into the candidate's training data. */
  trainedOn: ExportedFeedback[]
}

/**
 * Splits the corrected scans into what the candidate trains on and what only the gate scores, stratified by
 * label: round(n x fraction) scans in all (at least one once there are two, never all of them), shared among the
 * labels in proportion to their counts (largest remainders first), each label's chosen by a shuffle seeded with
 * `seed` and the label. The same scans and seed always give the same split.
 */
export function holdOutFeedback(
  scans: readonly ExportedFeedback[],
  options: { fraction: number; seed: number },
): FeedbackHoldout {
  const { fraction, seed } = options
  const n = scans.length
  const target = n < 2 || fraction <= 0 ? 0 : Math.min(n - 1, Math.max(1, Math.round(n * fraction)))
  const byLabel = new Map<string, ExportedFeedback[]>()
  for (const scan of [...scans].sort((a, b) => a.sha256.localeCompare(b.sha256))) {
    byLabel.set(scan.label, [...(byLabel.get(scan.label) ?? []), scan])
  }
  const quotas = [...byLabel].map(([label, items]) => {
    const exact = (items.length * target) / n
    return { label, items, count: Math.floor(exact), remainder: exact - Math.floor(exact) }
  })
  let left = target - quotas.reduce((sum, q) => sum + q.count, 0)
  const byRemainder = [...quotas].sort(
    (a, b) => b.remainder - a.remainder || b.items.length - a.items.length || a.label.localeCompare(b.label),
  )
  for (const quota of byRemainder) {
    if (left === 0) break
    quota.count++
    left--
  }
  const heldOut: ExportedFeedback[] = []
  const trainedOn: ExportedFeedback[] = []
  for (const { label, items, count } of quotas) {
    const order = shuffled(items, createSeededRandom(deriveSeed(seed, label)))
    heldOut.push(...order.slice(0, count))
    trainedOn.push(...order.slice(count))
  }
  return { seed, fraction, heldOut, trainedOn }
}

/** Moves the held-out scans' files from the exported folder to `heldOutDir`, under the same relative paths. */
export async function moveHeldOut(
  exportDir: string,
  heldOutDir: string,
  heldOut: readonly ExportedFeedback[],
): Promise<void> {
  await mkdir(heldOutDir, { recursive: true })
  for (const scan of heldOut) {
    const target = path.join(heldOutDir, ...scan.path.split('/'))
    await mkdir(path.dirname(target), { recursive: true })
    await rename(path.join(exportDir, ...scan.path.split('/')), target)
  }
}
