export { BALL_LABELS, isBallLabel, type BallLabel } from './labels.js'
export {
  preprocessImage,
  verifyImageDecodes,
  CHANNELS,
  type PreprocessSpec,
  type PreprocessOptions,
} from './preprocess.js'
export {
  decodeImageInfo,
  ACCEPTED_IMAGE_FORMATS,
  DEFAULT_MAX_PIXELS,
  type ImageInfo,
  type DecodeImageInfoOptions,
} from './image-info.js'
export {
  inputScalingAffine,
  describeInputScaling,
  parseInputScaling,
  type InputScaling,
  type ChannelAffine,
} from './input-scaling.js'
export { hashFile, hashBuffer, type FileDigest } from './content-hash.js'
export {
  buildManifest,
  canonicalManifestText,
  computeDatasetVersion,
  countByClass,
  parseManifest,
  DatasetEntrySchema,
  DatasetManifestSchema,
  type DatasetEntry,
  type DatasetManifest,
} from './dataset-manifest.js'
export {
  importDataset,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type SkippedFile,
} from './import-dataset.js'
export {
  loadManifest,
  listDatasets,
  resolveDatasetVersion,
  resolveEntryPath,
  type DatasetSummary,
} from './load-dataset.js'
export { datasetStats, type DatasetStats, type Spread } from './dataset-stats.js'
export { loadImages, type LoadImagesOptions } from './load-images.js'
export {
  splitStratified,
  splitFromFile,
  SplitFileSchema,
  type DatasetSplit,
  type SplitFractions,
  type SplitFile,
  type SplitFromFileOptions,
} from './split.js'
export {
  createSeededRandom,
  deriveSeed,
  randomBetween,
  randomInt,
  shuffled,
  type RandomSource,
} from './seeded-random.js'
export { objectPath, manifestPath } from './object-store.js'
export { mapConcurrent } from './map-concurrent.js'
export {
  ImageDecodeError,
  ImageTooLargeError,
  UnsupportedImageFormatError,
  UnknownClassFolderError,
  DatasetSourceError,
  EmptyDatasetError,
  DatasetNotFoundError,
  DatasetVersionAmbiguousError,
  ManifestInvalidError,
  BlobMissingError,
  SplitFileError,
  SplitEntriesMissingError,
  InvalidSplitFractionsError,
  InvalidAugmentParamsError,
  OperationAbortedError,
  DATA_ERROR_CODES,
} from './errors.js'
export {
  createAugmenter,
  DEFAULT_AUGMENT,
  FROZEN_BACKBONE_AUGMENT,
  NO_AUGMENT,
  STRONG_AUGMENT,
  type AugmentParams,
  type Augmenter,
} from './augment.js'
export { imagesDir, keepImage, keptImagePath, readKeptImage } from './kept-images.js'
export { writeFileAtomic } from './atomic-write.js'
export {
  exportFeedback,
  type ExportFeedbackOptions,
  type ExportFeedbackResult,
  type ExportedFeedback,
} from './export-feedback.js'
export { materializeDataset } from './materialize-dataset.js'
export { findTrainingOverlap, type ModelDataRecord, type TrainingOverlap } from './training-overlap.js'
