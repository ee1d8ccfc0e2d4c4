export interface BallType {
  label: string
  name: string
  icon: string
}

// Friendly names and emoji for the labels the model outputs (src/data/labels.ts holds the canonical list;
// the dashboard asks GET /categories for it and only adds presentation here).
const BALL_TYPES: Readonly<Record<string, { name: string; icon: string }>> = {
  american_football: { name: 'American football', icon: '🏈' },
  baseball: { name: 'Baseball', icon: '⚾' },
  basketball: { name: 'Basketball', icon: '🏀' },
  billiard_ball: { name: 'Billiard ball', icon: '🎱' },
  bowling_ball: { name: 'Bowling ball', icon: '🎳' },
  cricket_ball: { name: 'Cricket ball', icon: '🏏' },
  football: { name: 'Football (soccer)', icon: '⚽' },
  golf_ball: { name: 'Golf ball', icon: '⛳' },
  hockey_ball: { name: 'Hockey ball', icon: '🏑' },
  hockey_puck: { name: 'Hockey puck', icon: '🏒' },
  rugby_ball: { name: 'Rugby ball', icon: '🏉' },
  shuttlecock: { name: 'Shuttlecock', icon: '🏸' },
  table_tennis_ball: { name: 'Table tennis ball', icon: '🏓' },
  tennis_ball: { name: 'Tennis ball', icon: '🎾' },
  volleyball: { name: 'Volleyball', icon: '🏐' },
  not_a_ball: { name: 'Not a ball', icon: '🚫' },
}

/** Presentation for a label; an unknown label (a newer model) still reads well: "ice_ball" -> "Ice ball". */
export function describeBallType(label: string): BallType {
  const known = BALL_TYPES[label]
  if (known !== undefined) return { label, ...known }
  const words = label.replace(/[_-]+/g, ' ').trim()
  return { label, name: words.charAt(0).toUpperCase() + words.slice(1), icon: '❔' }
}

export function knownBallLabels(): string[] {
  return Object.keys(BALL_TYPES).filter((label) => label !== 'not_a_ball')
}
