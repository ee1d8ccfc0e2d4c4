import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as apiErrors from '../../src/api/errors.js'
import { INTERNAL_ERROR_CODES, STATUS_BY_CODE, toErrorReply } from '../../src/api/index.js'
import * as inference from '../../src/api/inference/index.js'
import * as auth from '../../src/auth/index.js'
import * as config from '../../src/config/index.js'
import * as data from '../../src/data/index.js'
import * as db from '../../src/db/index.js'
import * as backend from '../../src/model/backend/index.js'
import * as model from '../../src/model/index.js'
import * as pipeline from '../../src/pipeline/index.js'
import * as putaway from '../../src/putaway/index.js'
import * as registry from '../../src/registry/index.js'
import { describe, expect, test } from '../fixtures.js'

type CodedError = Error & { code: string }

interface ErrorModule {
  /** The module whose exported error classes this row covers. */
  exports: Record<string, unknown>
  /** One instance of every exported error class, by class name. */
  make: Record<string, () => CodedError>
  prefixes: readonly string[]
  /** The concern's own list of the codes with `prefix` (e.g. DATA_ERROR_CODES). */
  listed?: { prefix: string; codes: readonly string[] }
}

/** Every concern that defines errors; a new error class fails the first test until it has a row entry. */
const MODULES: Record<string, ErrorModule> = {
  'api/errors.ts': {
    exports: apiErrors,
    prefixes: ['SPS_API_', 'SPS_AUTH_'],
    make: {
      PredictionNotFoundError: () => new apiErrors.PredictionNotFoundError('id'),
      DeletedScanNotFoundError: () => new apiErrors.DeletedScanNotFoundError('id', 30),
      RestoreConflictError: () => new apiErrors.RestoreConflictError('id'),
      RouteNotFoundError: () => new apiErrors.RouteNotFoundError('GET', '/x'),
      FileFieldMissingError: () => new apiErrors.FileFieldMissingError(['img'], ['photo']),
      EmptyUploadError: () => new apiErrors.EmptyUploadError('a.jpg'),
      NotAnImageError: () => new apiErrors.NotAnImageError('a.txt'),
      NotMultipartError: () => new apiErrors.NotMultipartError(),
      MalformedMultipartError: () => new apiErrors.MalformedMultipartError(new Error('Unexpected end')),
      UploadTooLargeError: () => new apiErrors.UploadTooLargeError(10),
      TooManyFilesError: () => new apiErrors.TooManyFilesError(1),
      FieldInvalidError: () => new apiErrors.FieldInvalidError('location', 'is too long'),
      IdempotencyKeyReusedError: () => new apiErrors.IdempotencyKeyReusedError(),
      InvalidCursorError: () => new apiErrors.InvalidCursorError(),
      ImageNotKeptError: () => new apiErrors.ImageNotKeptError('id'),
      ModelNotLoadedError: () => new apiErrors.ModelNotLoadedError(),
      ExplanationUnavailableError: () => new apiErrors.ExplanationUnavailableError('id', 'not kept'),
      ModelFileNotFoundError: () => new apiErrors.ModelFileNotFoundError('m@1', 'x.png'),
      AuthRequiredError: () => new apiErrors.AuthRequiredError(),
      AuthKeyInvalidError: () => new apiErrors.AuthKeyInvalidError(),
      AuthForbiddenError: () => new apiErrors.AuthForbiddenError('scanner', 'admin'),
      RateLimitedError: () => new apiErrors.RateLimitedError(10, '1 minute'),
      RetrainRunningError: () => new apiErrors.RetrainRunningError('job-1'),
      RetrainUnavailableError: () => new apiErrors.RetrainUnavailableError(),
      HeicNotSupportedError: () => new apiErrors.HeicNotSupportedError('a.heic'),
      ImageTooSmallError: () => new apiErrors.ImageTooSmallError('a.png', 1, 1, 32),
      CorrectionNotLatestError: () => new apiErrors.CorrectionNotLatestError(3),
      CorrectionNotFoundError: () => new apiErrors.CorrectionNotFoundError('id', 3),
      LegacyIdError: () => new apiErrors.LegacyIdError('123'),
    },
  },
  'api/inference': {
    exports: inference,
    prefixes: ['SPS_API_'],
    make: {
      BatchResultMismatchError: () => new inference.BatchResultMismatchError(2, 1),
      BatcherClosedError: () => new inference.BatcherClosedError(),
    },
  },
  auth: {
    exports: auth,
    prefixes: ['SPS_AUTH_'],
    make: {
      InvalidRoleError: () => new auth.InvalidRoleError('root'),
      ApiKeyNotFoundError: () => new auth.ApiKeyNotFoundError('k'),
      AuthModeRefusedError: () => new auth.AuthModeRefusedError('0.0.0.0'),
    },
  },
  config: {
    exports: config,
    prefixes: ['SPS_CONFIG_'],
    make: { ConfigInvalidError: () => new config.ConfigInvalidError(['PORT must be a number']) },
  },
  data: {
    exports: data,
    prefixes: ['SPS_DATA_'],
    listed: { prefix: 'SPS_DATA_', codes: data.DATA_ERROR_CODES },
    make: {
      ImageDecodeError: () => new data.ImageDecodeError('bad'),
      ImageTooLargeError: () => new data.ImageTooLargeError(10, 5),
      UnsupportedImageFormatError: () => new data.UnsupportedImageFormatError('svg'),
      UnknownClassFolderError: () => new data.UnknownClassFolderError(['cats']),
      DatasetSourceError: () => new data.DatasetSourceError('missing'),
      EmptyDatasetError: () => new data.EmptyDatasetError('/x'),
      DatasetNotFoundError: () => new data.DatasetNotFoundError('v'),
      DatasetVersionAmbiguousError: () => new data.DatasetVersionAmbiguousError('ab', ['abc', 'abd']),
      ManifestInvalidError: () => new data.ManifestInvalidError('f', ['p']),
      BlobMissingError: () => new data.BlobMissingError('s', 'p'),
      SplitFileError: () => new data.SplitFileError('f', 'r'),
      SplitEntriesMissingError: () => new data.SplitEntriesMissingError('f', ['a']),
      InvalidSplitFractionsError: () => new data.InvalidSplitFractionsError('r'),
      InvalidAugmentParamsError: () => new data.InvalidAugmentParamsError('r'),
      OperationAbortedError: () => new data.OperationAbortedError(),
    },
  },
  db: {
    exports: db,
    prefixes: ['SPS_DB_'],
    make: {
      DatabaseUnavailableError: () => new db.DatabaseUnavailableError(new Error('refused')),
      MigrationFailedError: () => new db.MigrationFailedError(new Error('bad sql')),
      PgliteInUseError: () => new db.PgliteInUseError('/db', 42),
    },
  },
  model: {
    exports: model,
    prefixes: ['SPS_MODEL_', 'SPS_ONNX_'],
    listed: { prefix: 'SPS_MODEL_', codes: model.MODEL_ERROR_CODES },
    make: {
      ModelArtifactError: () => new model.ModelArtifactError('/m', 'bad'),
      UnknownArchitectureError: () => new model.UnknownArchitectureError('x', ['seed-cnn']),
      InvalidArchitectureParamError: () =>
        new model.InvalidArchitectureParamError('seed-cnn', 'widths', 'bad'),
      ModelInputError: () => new model.ModelInputError('bad'),
      TrainingAbortedError: () => new model.TrainingAbortedError(3),
      UnknownClassError: () => new model.UnknownClassError(['cats'], 'm@1'),
      EmptyEvaluationError: () => new model.EmptyEvaluationError('nothing'),
      EvaluationSourceError: () => new model.EvaluationSourceError('bad'),
      BackboneError: () => new model.BackboneError('x', 'bad'),
      TfliteFormatError: () => new model.TfliteFormatError('x.tflite', 'bad'),
      TfliteUnsupportedOpError: () => new model.TfliteUnsupportedOpError('x.tflite', 'HARD_SWISH', 'bad'),
      UnsupportedLayerError: () => new model.UnsupportedLayerError('l', 'UpSampling2D'),
      UnsupportedModelError: () => new model.UnsupportedModelError('two inputs'),
      UnsupportedOpsetError: () => new model.UnsupportedOpsetError(9, model.MIN_OPSET, model.MAX_OPSET),
      OnnxModelError: () => new model.OnnxModelError('/m.onnx', 'missing'),
      OnnxInferenceError: () => new model.OnnxInferenceError('m@1', new Error('boom')),
    },
  },
  'model/backend': {
    exports: backend,
    prefixes: ['SPS_MODEL_'],
    make: {
      BackendUnavailableError: () => new backend.BackendUnavailableError('wasm'),
      UnsupportedKernelInputError: () => new backend.UnsupportedKernelInputError('Conv2D', 'NCHW'),
      MissingKernelError: () => new backend.MissingKernelError('Conv2D'),
    },
  },
  pipeline: {
    exports: pipeline,
    prefixes: ['SPS_PIPELINE_'],
    listed: { prefix: 'SPS_PIPELINE_', codes: pipeline.PIPELINE_ERROR_CODES },
    make: {
      PipelineOverrideError: () => new pipeline.PipelineOverrideError('epochs=x', 'expected an integer'),
      PipelineSpecError: () => new pipeline.PipelineSpecError('p.yaml', ['steps: missing']),
      PipelineRenderError: () => new pipeline.PipelineRenderError(['no steps']),
      StepFailedError: () => new pipeline.StepFailedError('train', new Error('boom')),
      StepInputMissingError: () => new pipeline.StepInputMissingError('train', 'prep', '/run'),
      StepOutputInvalidError: () => new pipeline.StepOutputInvalidError('train', 'output "model" is missing'),
      UnknownStepError: () => new pipeline.UnknownStepError('trian', ['prep', 'train']),
      NoFeedbackError: () => new pipeline.NoFeedbackError(new Date(0), 2),
    },
  },
  putaway: {
    exports: putaway,
    prefixes: ['SPS_PUTAWAY_'],
    make: {
      SiteInvalidError: () => new putaway.SiteInvalidError('a b'),
      BinLabelInvalidError: () => new putaway.BinLabelInvalidError('a,b'),
      BallTypeUnknownError: () => new putaway.BallTypeUnknownError('frisbee', ['basketball']),
      CapacityInvalidError: () => new putaway.CapacityInvalidError('-1'),
      BinsCsvInvalidError: () => new putaway.BinsCsvInvalidError(['line 2: bad']),
      AssignmentNotFoundError: () => new putaway.AssignmentNotFoundError('main', 'basketball'),
      BinNotFoundError: () => new putaway.BinNotFoundError('main', 'Z9'),
      NoBinToConfirmError: () => new putaway.NoBinToConfirmError('basketball', 'main'),
      ScanNotShelvableError: () => new putaway.ScanNotShelvableError('it needs review'),
    },
  },
  registry: {
    exports: registry,
    prefixes: ['SPS_REGISTRY_'],
    listed: { prefix: 'SPS_REGISTRY_', codes: registry.REGISTRY_ERROR_CODES },
    make: {
      AliasNotFoundError: () => new registry.AliasNotFoundError('m', 'production'),
      ArtifactMissingError: () => new registry.ArtifactMissingError('/x'),
      InvalidModelNameError: () => new registry.InvalidModelNameError('Bad'),
      InvalidModelRefError: () => new registry.InvalidModelRefError('m@', 'empty tag'),
      ModelNotFoundError: () => new registry.ModelNotFoundError('m@3'),
      RegistrationFailedError: () => new registry.RegistrationFailedError('m', new Error('disk full')),
      UnknownAliasError: () => new registry.UnknownAliasError('beta', registry.MODEL_ALIASES),
      NoServedModelError: () => new registry.NoServedModelError('m', '/bundled'),
    },
  },
}

const made = Object.values(MODULES).flatMap((m) => Object.values(m.make).map((make) => make()))

/** Every `'SPS_…'` string literal in the server's source (the dashboard's own codes never reach the server). */
async function codesInSource(): Promise<Set<string>> {
  const src = fileURLToPath(new URL('../../src', import.meta.url))
  const files = (await readdir(src, { recursive: true }))
    .filter((f) => /\.tsx?$/.test(f) && !f.startsWith(`web${path.sep}`))
    .map((f) => path.join(src, f))
  const codes = new Set<string>()
  for (const file of files) {
    for (const m of (await readFile(file, 'utf8')).matchAll(/['"`](SPS_[A-Z0-9]+(?:_[A-Z0-9]+)+)['"`]/g)) {
      if (m[1]) codes.add(m[1])
    }
  }
  return codes
}

describe('error codes', () => {
  test.each(Object.entries(MODULES))(
    '%s: every exported error class carries a distinct code of its concern, as listed',
    (_, row) => {
      const exported = Object.entries(row.exports)
        .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
        .map(([name]) => name)
      expect(Object.keys(row.make).sort()).toEqual(exported.sort())
      const codes = Object.entries(row.make).map(([name, make]) => {
        const err = make()
        expect(err.constructor.name).toBe(name)
        expect(
          row.prefixes.some((p) => err.code.startsWith(p)),
          err.code,
        ).toBe(true)
        return err.code
      })
      expect(new Set(codes).size).toBe(codes.length)
      if (row.listed) {
        const prefix = row.listed.prefix
        expect(codes.filter((c) => c.startsWith(prefix)).sort()).toEqual([...row.listed.codes].sort())
      }
    },
  )

  test('no two error classes anywhere share a code', () => {
    const codes = made.map((e) => e.code)
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([])
  })

  test('every SPS_ code in src/ has an HTTP status or is on the explicit 500 list, never both', async () => {
    const unplaced = [...(await codesInSource())].filter(
      (code) => STATUS_BY_CODE[code] === undefined && !INTERNAL_ERROR_CODES.has(code),
    )
    // toErrorReply's own code for a client error Fastify raised without one: its status is Fastify's.
    expect(unplaced).toEqual(['SPS_API_BAD_REQUEST'])
    expect([...INTERNAL_ERROR_CODES].filter((code) => STATUS_BY_CODE[code] !== undefined)).toEqual([])
    const fastifyClientError = Object.assign(new Error('Method Not Allowed'), { statusCode: 405 })
    expect(toErrorReply(fastifyClientError)).toEqual({
      status: 405,
      body: { code: 'SPS_API_BAD_REQUEST', message: 'Method Not Allowed' },
    })
  })

  test.each(made.map((err) => [err.code, err] as const))(
    '%s answers its mapped status with its message, or a bare 500',
    (code, err) => {
      const status = STATUS_BY_CODE[code]
      if (status === undefined || status === 500) {
        expect(INTERNAL_ERROR_CODES.has(code) || code === 'SPS_API_INTERNAL').toBe(true)
        expect(toErrorReply(err)).toEqual({
          status: 500,
          body: { code: 'SPS_API_INTERNAL', message: 'Internal Server Error' },
        })
      } else if (code === 'SPS_DB_UNAVAILABLE') {
        expect(toErrorReply(err)).toMatchObject({ status: 503, body: { code } })
      } else {
        expect(toErrorReply(err)).toEqual({ status, body: { code, message: err.message } })
      }
    },
  )

  test.each(Object.entries(STATUS_BY_CODE))('the table answers %s with %i', (code, status) => {
    const reply = toErrorReply(Object.assign(new Error(`about ${code}`), { code }))
    expect(reply.status).toBe(status)
    expect(reply.body.code).toBe(status >= 500 && status !== 503 ? 'SPS_API_INTERNAL' : code)
  })
})
