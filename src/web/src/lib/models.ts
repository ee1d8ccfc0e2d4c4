import { ResponseShapeError } from './errors.js'
import {
  expectArray,
  expectObject,
  firstPresent,
  isJsonObject,
  readOptionalString,
  type JsonObject,
} from './json-reader.js'

export interface ModelImage {
  title: string
  url: string
}

export interface ModelVersion {
  name: string
  version: string
  /** `name@version`, the form predictions carry in `model`. */
  ref: string
  aliases: string[]
  isProduction: boolean
  /** The server answers scans with this version right now. */
  isServing: boolean
  /** Where it comes from: the registry, the model bundled with the app, or a folder given to `serve`. */
  origin: 'registry' | 'bundled' | 'folder'
  /** The model card (Markdown), when the artifact has one. */
  modelCardUrl: string | null
  createdAt: string | null
  architecture: string | null
  datasetVersion: string | null
  accuracy: number | null
  macroF1: number | null
  perClassF1: Readonly<Record<string, number>>
  /** Other scalar metrics, shown as they come. */
  otherMetrics: Readonly<Record<string, number>>
  images: ModelImage[]
  /** Confusion counts from the metrics (`confusion[true][predicted]`), drawn when no image is given. */
  confusion: ConfusionMatrix | null
  /** Per review threshold: share of scans counted without review and how many of those are right. */
  thresholds: ThresholdRow[]
}

export interface ThresholdRow {
  threshold: number
  coverage: number
  /** Null when no scan reaches the threshold. */
  accuracy: number | null
}

export interface ConfusionMatrix {
  labels: string[]
  counts: number[][]
}

const ACCURACY_KEYS = ['accuracy', 'test_accuracy', 'val_accuracy']
const F1_KEYS = ['macro_f1', 'macroF1', 'f1_macro', 'f1']
const PER_CLASS_KEYS = ['per_class_f1', 'f1_per_class', 'class_f1', 'per_class', 'perClass']
/** Where the pipeline may nest the test-split evaluation inside `metrics`. */
const NESTED_METRIC_KEYS = ['test', 'evaluation', 'eval']

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Per-class F1 arrives either as `{label: f1}` or as `{label: {f1, precision, recall}}`. */
function readPerClassF1(metrics: JsonObject): Record<string, number> {
  const raw = firstPresent(metrics, PER_CLASS_KEYS)
  const out: Record<string, number> = {}
  if (!isJsonObject(raw)) return out
  for (const [label, entry] of Object.entries(raw)) {
    const f1 = isJsonObject(entry) ? numberOrNull(entry['f1']) : numberOrNull(entry)
    if (f1 !== null) out[label] = f1
  }
  return out
}

function firstKey(metrics: JsonObject, keys: readonly string[]): string | undefined {
  return keys.find((key) => numberOrNull(metrics[key]) !== null)
}

/** Scalars other than the accuracy and F1 already shown in their own columns. */
/** The metrics object itself, or its nested test-split evaluation when that is where accuracy lives. */
function evaluationOf(metrics: JsonObject): JsonObject {
  if (firstKey(metrics, ACCURACY_KEYS) !== undefined) return metrics
  for (const key of NESTED_METRIC_KEYS) {
    const nested = metrics[key]
    if (isJsonObject(nested) && firstKey(nested, ACCURACY_KEYS) !== undefined) return nested
  }
  return metrics
}

/** `byThreshold` as evaluations record it; rows that are not well-formed are left out. */
function readThresholds(metrics: JsonObject): ThresholdRow[] {
  const raw = metrics['byThreshold']
  if (!Array.isArray(raw)) return []
  const rows: ThresholdRow[] = []
  for (const entry of raw) {
    if (!isJsonObject(entry)) continue
    const threshold = numberOrNull(entry['threshold'])
    const coverage = numberOrNull(entry['coverage'])
    const accuracy = numberOrNull(entry['accuracy'])
    if (threshold === null || coverage === null) continue
    if (accuracy === null && entry['accuracy'] !== null) continue
    rows.push({ threshold, coverage, accuracy })
  }
  return rows.sort((a, b) => a.threshold - b.threshold)
}

function readConfusion(metrics: JsonObject): ConfusionMatrix | null {
  const labels = metrics['labels']
  const counts = metrics['confusion'] ?? metrics['confusion_matrix']
  if (!Array.isArray(labels) || !Array.isArray(counts) || labels.length !== counts.length) return null
  if (!labels.every((l): l is string => typeof l === 'string')) return null
  const rows: number[][] = []
  for (const row of counts) {
    if (!Array.isArray(row) || row.length !== labels.length) return null
    if (!row.every((n): n is number => typeof n === 'number' && Number.isFinite(n))) return null
    rows.push(row)
  }
  return { labels, counts: rows }
}

function readOtherMetrics(metrics: JsonObject): Record<string, number> {
  const known = new Set([firstKey(metrics, ACCURACY_KEYS), firstKey(metrics, F1_KEYS)])
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(metrics)) {
    const n = numberOrNull(value)
    if (n !== null && !known.has(key)) out[key] = n
  }
  return out
}

function humanise(key: string): string {
  const words = key.replace(/_url$/, '').replace(/[_-]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function looksLikeImageUrl(key: string, value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false
  return key.endsWith('_url') || /\.(png|svg|jpe?g)(\?|$)/i.test(value)
}

/** Confusion matrix, learning curves…: any `*_url` field or image path on the model or in its artifact maps. */
function readImages(obj: JsonObject): ModelImage[] {
  const images: ModelImage[] = []
  const sources: JsonObject[] = [obj]
  for (const key of ['artifacts', 'images', 'plots', 'links']) {
    const nested = obj[key]
    if (isJsonObject(nested)) sources.push(nested)
  }
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      const isSkipped = key === 'image_url' || key === 'model_card_url' || key.startsWith('promote')
      if (looksLikeImageUrl(key, value) && !isSkipped) {
        images.push({ title: humanise(key), url: value })
      }
    }
  }
  return images
}

function readProductionRef(obj: JsonObject): string | null {
  const production = obj['production']
  if (typeof production === 'string') return production
  if (isJsonObject(production)) {
    const name = production['name']
    const version = production['version']
    if (typeof name === 'string' && (typeof version === 'number' || typeof version === 'string')) {
      return `${name}@${version}`
    }
  }
  return null
}

function readServingRef(obj: JsonObject): string | null {
  const serving = obj['serving']
  if (isJsonObject(serving) && typeof serving['ref'] === 'string') return serving['ref']
  return null
}

function decodeModel(value: unknown, productionRef: string | null, servingRef: string | null): ModelVersion {
  const what = 'model'
  const obj = expectObject(value, what)
  const name = obj['name']
  const version = obj['version']
  if (typeof name !== 'string') throw new ResponseShapeError(what, '"name" is not text')
  if (typeof version !== 'number' && typeof version !== 'string') {
    throw new ResponseShapeError(what, '"version" is missing')
  }
  const ref = `${name}@${version}`
  const aliases = Array.isArray(obj['aliases'])
    ? obj['aliases'].filter((alias): alias is string => typeof alias === 'string')
    : []
  const metrics = evaluationOf(isJsonObject(obj['metrics']) ? obj['metrics'] : {})
  const isProduction =
    aliases.includes('production') ||
    obj['is_production'] === true ||
    obj['production'] === true ||
    productionRef === ref
  return {
    name,
    version: String(version),
    ref,
    aliases: isProduction && !aliases.includes('production') ? [...aliases, 'production'] : aliases,
    isProduction,
    isServing: obj['is_serving'] === true || servingRef === ref,
    origin: obj['origin'] === 'bundled' || obj['origin'] === 'folder' ? obj['origin'] : 'registry',
    modelCardUrl: readOptionalString(obj, 'model_card_url', what),
    createdAt: readOptionalString(obj, 'created_at', what),
    architecture: readOptionalString(obj, 'architecture', what),
    datasetVersion: readOptionalString(obj, 'dataset_version', what),
    accuracy: numberOrNull(metrics[firstKey(metrics, ACCURACY_KEYS) ?? '']),
    macroF1: numberOrNull(metrics[firstKey(metrics, F1_KEYS) ?? '']),
    perClassF1: readPerClassF1(metrics),
    otherMetrics: readOtherMetrics(metrics),
    images: readImages(obj),
    confusion: readConfusion(metrics),
    thresholds: readThresholds(metrics),
  }
}

/** `GET /models`: newest version first. */
export function decodeModels(value: unknown): ModelVersion[] {
  const top = Array.isArray(value) ? {} : expectObject(value, 'models')
  const list = Array.isArray(value) ? value : firstPresent(top, ['models', 'items', 'versions'])
  const productionRef = readProductionRef(top)
  const servingRef = readServingRef(top)
  const registered = expectArray(list, 'models')
    .map((entry) => decodeModel(entry, productionRef, servingRef))
    .sort((a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version))
  // A model served from outside the registry (the bundled one on a fresh clone) is listed too, first.
  const serving = top['serving']
  const isListed = registered.some((m) => m.ref === servingRef)
  if (!isJsonObject(serving) || typeof serving['name'] !== 'string' || isListed) return registered
  return [decodeModel({ ...serving, is_serving: true, aliases: [] }, null, servingRef), ...registered]
}
