export {
  trainTransfer,
  type TransferOptions,
  type TransferParams,
  type TransferResult,
  type TransferStage,
} from './train-transfer.js'
export { loadBackbone, type LoadBackboneOptions, type LoadedBackbone } from './load-backbone.js'
export { INPUT_SCALING_LAYER, withInputScaling } from './input-scaling-layer.js'
export { splitBackbone, type SplitBackbone } from './split-backbone.js'
export {
  buildConvHead,
  buildFeatureExtractor,
  buildHead,
  composeClassifier,
  type HeadKind,
  type HeadOptions,
} from './feature-model.js'
export { createFeatureRunner, type FeatureRunner, type ExtractFeaturesOptions } from './extract-features.js'
export {
  listCatalogBackbones,
  catalogCredit,
  catalogEntry,
  catalogFile,
  BACKBONES_DIR,
  type CatalogEntry,
} from './backbone-catalog.js'
