import {
  getPrediction,
  insertPutAway,
  listBinAssignments,
  listBins,
  type Database,
  type PutAwayRow,
} from '../db/index.js'
import { answerBin, currentLabel } from './bin-answer.js'
import { BinNotFoundError, NoBinToConfirmError, ScanNotShelvableError } from './errors.js'
import { parseBinLabel } from './names.js'

const NOT_SHELVABLE: Readonly<Record<string, string>> = {
  needs_review: 'it needs review; a person should confirm the ball type first',
  not_a_ball: 'a reviewer marked it as not a ball',
}

/**
 * Records that a worker shelved a scanned ball: in the bin the answer names (no `bin` given, or that one) or
 * elsewhere (another bin of the site). Undefined when the scan does not exist.
 */
export async function confirmPutAway(
  db: Database,
  input: { predictionId: string; bin?: string; confirmedBy: string | null },
): Promise<PutAwayRow | undefined> {
  const scan = await getPrediction(db, input.predictionId)
  if (!scan) return undefined
  if (scan.site === null) throw new ScanNotShelvableError('it was scanned before sites and bins existed')
  const site = scan.site
  const label = currentLabel(scan)
  const [assignment] = await listBinAssignments(db, { sites: [site] }).then((all) =>
    all.filter((a) => a.ballLabel === label),
  )
  const answer = answerBin(scan, assignment?.binLabel)
  const why = answer.reason === null ? undefined : NOT_SHELVABLE[answer.reason]
  if (why !== undefined) throw new ScanNotShelvableError(why)
  let bin = answer.bin
  if (input.bin !== undefined) {
    const named = parseBinLabel(input.bin)
    const known = await listBins(db, { site })
    if (!known.some((b) => b.label === named)) throw new BinNotFoundError(site, named)
    bin = named
  }
  if (bin === null) throw new NoBinToConfirmError(label, site)
  return insertPutAway(db, {
    predictionId: scan.id,
    site,
    binLabel: bin,
    expectedBinLabel: answer.bin,
    outcome: bin === answer.bin ? 'shelved' : 'shelved_elsewhere',
    confirmedBy: input.confirmedBy,
  })
}
