export {
  trainTransfer,
  type TransferOptions,
  type TransferParams,
  type TransferResult,
} from './train-transfer.js'
export { loadBackbone, type LoadBackboneOptions } from './load-backbone.js'
export {
  buildConvHead,
  buildFeatureExtractor,
  buildHead,
  composeClassifier,
  type HeadKind,
  type HeadOptions,
} from './feature-model.js'
export { createFeatureRunner, type FeatureRunner, type ExtractFeaturesOptions } from './extract-features.js'
export { listCatalogBackbones, catalogCredit } from './backbone-catalog.js'
