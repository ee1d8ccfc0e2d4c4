import { BALL_LABELS, isBallLabel, type BallLabel } from '../data/index.js'
import {
  BallTypeUnknownError,
  BinLabelInvalidError,
  CapacityInvalidError,
  SiteInvalidError,
} from './errors.js'

/** Kept short and free of commas, quotes and spaces so labels print on a bin tag and pass through CSV as is. */
export const SITE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'
export const BIN_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$'
export const MAX_CAPACITY = 1_000_000

const SITE = new RegExp(SITE_PATTERN)
const BIN = new RegExp(BIN_PATTERN)

export function parseSite(raw: string): string {
  const site = raw.trim()
  if (!SITE.test(site)) throw new SiteInvalidError(raw)
  return site
}

export function parseBinLabel(raw: string): string {
  const bin = raw.trim()
  if (!BIN.test(bin)) throw new BinLabelInvalidError(raw)
  return bin
}

export function parseBallType(raw: string): BallLabel {
  const label = raw.trim()
  if (!isBallLabel(label)) throw new BallTypeUnknownError(raw, BALL_LABELS)
  return label
}

/** A capacity as typed (CSV cell, CLI flag): empty means no limit. */
export function parseCapacity(raw: string): number | null {
  const text = raw.trim()
  if (text === '') return null
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > MAX_CAPACITY) {
    throw new CapacityInvalidError(raw)
  }
  return n
}
