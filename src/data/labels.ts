/** The 15 ball types SportScan knows, in the order model outputs use. */
export const BALL_LABELS = [
  'american_football',
  'baseball',
  'basketball',
  'billiard_ball',
  'bowling_ball',
  'cricket_ball',
  'football',
  'golf_ball',
  'hockey_ball',
  'hockey_puck',
  'rugby_ball',
  'shuttlecock',
  'table_tennis_ball',
  'tennis_ball',
  'volleyball',
] as const

export type BallLabel = (typeof BALL_LABELS)[number]

export function isBallLabel(value: string): value is BallLabel {
  return (BALL_LABELS as readonly string[]).includes(value)
}
