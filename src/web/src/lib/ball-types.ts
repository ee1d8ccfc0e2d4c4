import type { paths } from './api-schema.generated.js'

export interface BallType {
  label: string
  name: string
  /** Swatch colour of the ball's icon (a tinted SVG disc; emoji need a font many machines lack). */
  colour: string
}

// Friendly names and swatch colours for the labels the model outputs (src/data/labels.ts holds the canonical
// list; the dashboard asks GET /categories for it and only adds presentation here).
/** A ball type the server's routes accept, as its OpenAPI document lists them. */
export type BallLabel = paths['/bins/{site}/{label}']['put']['parameters']['path']['label']
/** What a correction may say: a ball type, or that the photo shows no ball. */
export type CorrectionLabel = BallLabel | 'not_a_ball'

// Keyed by CorrectionLabel: a ball type the server adds or drops fails the type check here.
const BALL_TYPES: Readonly<Record<CorrectionLabel, { name: string; colour: string }>> = {
  american_football: { name: 'American football', colour: '#8b4513' },
  baseball: { name: 'Baseball', colour: '#f5f5f0' },
  basketball: { name: 'Basketball', colour: '#e2711d' },
  billiard_ball: { name: 'Billiard ball', colour: '#1f2937' },
  bowling_ball: { name: 'Bowling ball', colour: '#4338ca' },
  cricket_ball: { name: 'Cricket ball', colour: '#b91c1c' },
  football: { name: 'Football (soccer)', colour: '#ffffff' },
  golf_ball: { name: 'Golf ball', colour: '#fafafa' },
  hockey_ball: { name: 'Hockey ball', colour: '#f97316' },
  hockey_puck: { name: 'Hockey puck', colour: '#111827' },
  rugby_ball: { name: 'Rugby ball', colour: '#a16207' },
  shuttlecock: { name: 'Shuttlecock', colour: '#e5e7eb' },
  table_tennis_ball: { name: 'Table tennis ball', colour: '#fb923c' },
  tennis_ball: { name: 'Tennis ball', colour: '#d4e157' },
  volleyball: { name: 'Volleyball', colour: '#fde68a' },
  not_a_ball: { name: 'Not a ball', colour: '#9ca3af' },
}

/** Presentation for a label; an unknown label (a newer model) still reads well: "ice_ball" -> "Ice ball". */
export function describeBallType(label: string): BallType {
  if (isCorrectionLabel(label)) return { label, ...BALL_TYPES[label] }
  const words = label.replace(/[_-]+/g, ' ').trim()
  return { label, name: words.charAt(0).toUpperCase() + words.slice(1), colour: '#9ca3af' }
}

export function knownBallLabels(): BallLabel[] {
  return Object.keys(BALL_TYPES).filter((label): label is BallLabel => label !== 'not_a_ball')
}

export function isCorrectionLabel(label: string): label is CorrectionLabel {
  return Object.hasOwn(BALL_TYPES, label)
}

export function isBallLabel(label: string): label is BallLabel {
  return label !== 'not_a_ball' && isCorrectionLabel(label)
}
