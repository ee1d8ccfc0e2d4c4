/** Put-away errors: bin names, assignments, the CSV of a site's plan, and confirmations of shelving. */

export class SiteInvalidError extends Error {
  readonly code = 'SPS_PUTAWAY_SITE_INVALID'
  constructor(site: string) {
    super(
      `site "${site}" is not a valid name: 1-40 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    )
  }
}

export class BinLabelInvalidError extends Error {
  readonly code = 'SPS_PUTAWAY_BIN_INVALID'
  constructor(bin: string) {
    super(
      `bin "${bin}" is not a valid bin label: 1-40 letters, digits, ".", "_", "/" or "-", starting with a letter or digit`,
    )
  }
}

export class BallTypeUnknownError extends Error {
  readonly code = 'SPS_PUTAWAY_BALL_TYPE_UNKNOWN'
  constructor(label: string, known: readonly string[]) {
    super(`"${label}" is not a ball type; known types: ${known.join(', ')}`)
  }
}

export class CapacityInvalidError extends Error {
  readonly code = 'SPS_PUTAWAY_CAPACITY_INVALID'
  constructor(raw: string) {
    super(`capacity "${raw}" is not a whole number of balls from 1 to 1000000 (leave it empty for no limit)`)
  }
}

export class BinsCsvInvalidError extends Error {
  readonly code = 'SPS_PUTAWAY_CSV_INVALID'
  constructor(readonly problems: readonly string[]) {
    super(`the bins CSV was not imported (nothing changed): ${problems.join('; ')}`)
  }
}

export class AssignmentNotFoundError extends Error {
  readonly code = 'SPS_PUTAWAY_ASSIGNMENT_NOT_FOUND'
  constructor(site: string, label: string) {
    super(`no bin is assigned to ${label} at site "${site}"`)
  }
}

export class BinNotFoundError extends Error {
  readonly code = 'SPS_PUTAWAY_BIN_NOT_FOUND'
  constructor(site: string, bin: string) {
    super(`site "${site}" has no bin "${bin}" (bins exist once a ball type is assigned to them)`)
  }
}

export class NoBinToConfirmError extends Error {
  readonly code = 'SPS_PUTAWAY_NO_BIN'
  constructor(label: string, site: string) {
    super(`no bin is assigned to ${label} at site "${site}": name the bin the ball was shelved in`)
  }
}

export class ScanNotShelvableError extends Error {
  readonly code = 'SPS_PUTAWAY_NOT_SHELVABLE'
  constructor(reason: string) {
    super(`this scan cannot be shelved: ${reason}`)
  }
}
