import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { InputScaling } from '../../data/index.js'

/**
 * Pretrained backbones committed under models/backbones/ with their licence and provenance (the README.md
 * beside each), so a fresh clone trains with no download. Each entry says how its input is scaled and which
 * layers a head reads by default.
 */
export interface CatalogEntry {
  /** Folder under models/backbones/. */
  folder: string
  /** The network file in it: a .tflite flatbuffer or a TF.js layers model.json. */
  file: string
  format: 'tflite' | 'layers'
  /** What [0, 1] RGB becomes before the first layer. */
  inputScaling: InputScaling
  /** Input side the weights were trained at. */
  nativeSize: number
  /** The layer whose output the head reads (a [h, w, c] map). */
  featureNode: string
  /** With fine-tuning, the layers after this one train; it must end a block (not cut a residual branch). */
  fineTuneFrom: string
  /** One line for model cards and training records. */
  credit: string
}

const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'imagenet:mobilenet_v2': {
    folder: 'mobilenet-v2-1.0-224-quant',
    file: 'mobilenet_v2_1.0_224_quant.tflite',
    format: 'tflite',
    inputScaling: { kind: 'quantized', scale: 0.0078125, zeroPoint: 128 },
    nativeSize: 224,
    featureNode: 'MobilenetV2/Conv_1/Relu6',
    fineTuneFrom: 'MobilenetV2/expanded_conv_12/add',
    credit:
      'MobileNetV2 1.0/224 (Sandler et al. 2018), ImageNet-1k, uint8 quantisation-aware weights from google-coral/test_data, Apache-2.0',
  },
  'imagenet:mobilenet_v1': {
    folder: 'mobilenet-v1-imagenet',
    file: 'model.json',
    format: 'layers',
    inputScaling: { kind: 'symmetric' },
    nativeSize: 224,
    featureNode: 'conv_dw_13_relu',
    fineTuneFrom: 'conv_pw_11_relu',
    credit:
      'MobileNet v1 1.0/224 (Howard et al. 2017), ImageNet-1k, Keras Applications weights in TF.js layers format, Apache-2.0',
  },
}

/** models/backbones/ of this checkout or install (src/ and dist/ sit at the same depth). */
export const BACKBONES_DIR = fileURLToPath(new URL('../../../models/backbones/', import.meta.url))

export function isCatalogBackbone(source: string): boolean {
  return Object.hasOwn(CATALOG, source)
}

export function listCatalogBackbones(): string[] {
  return Object.keys(CATALOG)
}

export function catalogEntry(source: string): CatalogEntry | undefined {
  return CATALOG[source]
}

export function catalogCredit(source: string): string | undefined {
  return CATALOG[source]?.credit
}

/** The catalogued backbone's network file. */
export function catalogFile(entry: CatalogEntry): string {
  return path.join(BACKBONES_DIR, entry.folder, entry.file)
}
