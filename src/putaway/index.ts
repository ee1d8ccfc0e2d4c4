export {
  answerBin,
  currentLabel,
  BIN_REASONS,
  type BinAnswer,
  type BinReason,
  type ScanForBin,
} from './bin-answer.js'
export {
  assignBin,
  exportBinsCsv,
  importBinsCsv,
  unassignBin,
  type AssignBinInput,
  type ImportSummary,
} from './bin-plan.js'
export { summariseBinStock, type BinStock } from './bin-stock.js'
export { BINS_CSV_COLUMNS, formatBinsCsv, parseBinsCsv, type BinsCsvRow } from './bins-csv.js'
export { confirmPutAway } from './confirm-put-away.js'
export {
  AssignmentNotFoundError,
  BallTypeUnknownError,
  BinLabelInvalidError,
  BinNotFoundError,
  BinsCsvInvalidError,
  CapacityInvalidError,
  NoBinToConfirmError,
  ScanNotShelvableError,
  SiteInvalidError,
} from './errors.js'
export {
  BIN_PATTERN,
  MAX_CAPACITY,
  SITE_PATTERN,
  parseBallType,
  parseBinLabel,
  parseCapacity,
  parseSite,
} from './names.js'
