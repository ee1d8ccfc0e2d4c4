import { Type, type Static } from 'typebox'

export const DbConfigSchema = Type.Union([
  Type.Object({ driver: Type.Literal('pglite'), dir: Type.String() }, { additionalProperties: false }),
  Type.Object(
    { driver: Type.Literal('pg'), url: Type.String(), poolSize: Type.Integer({ minimum: 1 }) },
    {
      additionalProperties: false,
    },
  ),
])
export type DbConfig = Static<typeof DbConfigSchema>

export const ConfigSchema = Type.Object(
  {
    /** Folder that holds all state: datasets, registry artifacts, embedded database, kept images. */
    home: Type.String({ minLength: 1 }),
    db: DbConfigSchema,
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    ),
    server: Type.Object(
      {
        host: Type.String(),
        port: Type.Integer({ minimum: 0, maximum: 65535 }),
        /**
         * Which proxies may set X-Forwarded-For (Fastify's trustProxy): false, true, a hop count, or their
         * addresses/CIDRs. Behind an ingress the client address (rate-limit bucket, logs) comes from it.
         */
        trustProxy: Type.Union([
          Type.Boolean(),
          Type.Integer({ minimum: 1 }),
          Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
        ]),
      },
      { additionalProperties: false },
    ),
    serving: Type.Object(
      {
        /** Confidence at or above which a scan counts as stock; below it needs review. */
        threshold: Type.Number({ minimum: 0, maximum: 1 }),
        maxUploadBytes: Type.Integer({ minimum: 1 }),
        /** Decoded pixel limit: larger images are refused as decompression bombs. */
        maxPixels: Type.Integer({ minimum: 1 }),
        batchLimit: Type.Integer({ minimum: 1 }),
        storeImages: Type.Boolean(),
        runtime: Type.Union([Type.Literal('auto'), Type.Literal('onnx'), Type.Literal('tfjs')]),
        /** ONNX precision: int8 (the model's calibrated int8 twin), fp32, or auto (int8 when the model ships one). */
        precision: Type.Union([Type.Literal('auto'), Type.Literal('int8'), Type.Literal('fp32')]),
        /**
         * ONNX Runtime intra-op threads per session (TF.js wasm always runs on the main thread). ORT's run()
         * blocks its caller, so 2 threads halve the time the event loop waits on each image.
         */
        inferenceThreads: Type.Integer({ minimum: 1, maximum: 64 }),
        /** Worker threads running ONNX inference off the event loop; 0 runs it on the main thread. */
        inferenceWorkers: Type.Integer({ minimum: 0, maximum: 64 }),
        /** Micro-batching: how long the first request of a batch waits for others; 0 gathers one tick only. */
        batchWindowMs: Type.Number({ minimum: 0, maximum: 1000 }),
        /** Largest micro-batch; 1 turns micro-batching off. */
        maxBatchSize: Type.Integer({ minimum: 1, maximum: 256 }),
        /**
         * Test-time views to serve with: `model` (the model's own), or a preset the model has a temperature for
         * (fewer views answer faster, more answer better; the model card compares them).
         */
        testViews: Type.Union([
          Type.Literal('model'),
          Type.Literal('full'),
          Type.Literal('centre'),
          Type.Literal('centre-flip'),
          Type.Literal('multi-crop'),
        ]),
        /** Registry name of the served model: its `production` alias is served, retraining registers under it. */
        modelName: Type.String({ minLength: 1 }),
        /** Folder of the model served when the registry has no `production` alias. */
        bundledModelDir: Type.String(),
      },
      { additionalProperties: false },
    ),
    auth: Type.Object(
      { mode: Type.Union([Type.Literal('auto'), Type.Literal('required'), Type.Literal('off')]) },
      { additionalProperties: false },
    ),
    corsOrigins: Type.Array(Type.String()),
    retrain: Type.Object(
      {
        /** Fixed split file whose test list the retraining gate scores both models on; null: not set up. */
        splitFile: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
        /** Pipeline `key=value` overrides for retraining started from the API (e.g. `epochs=10`). */
        overrides: Type.Array(Type.String({ pattern: '^[^=\\s]+=\\S*$' })),
        /** Largest drop in test accuracy (0..1) the gate still counts as "not worse". */
        testTolerance: Type.Number({ minimum: 0, maximum: 1 }),
        /** Share of the corrected scans (per label) held out of training, for the gate to score both models on. */
        holdoutFraction: Type.Number({ minimum: 0, maximum: 0.9 }),
        /** Seed of that choice: the same scans and seed hold out the same scans. */
        holdoutSeed: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    drift: Type.Object(
      {
        /** A day warns when more than this share (0..1) of its scans fell below the threshold. */
        maxLowConfidenceShare: Type.Number({ minimum: 0, maximum: 1 }),
        /** ... or when its predicted-class mix is further than this (total variation, 0..1) from training. */
        maxDistance: Type.Number({ minimum: 0, maximum: 1 }),
        /** Days with fewer scans never warn: a handful of scans says nothing about a distribution. */
        minScans: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
    putaway: Type.Object(
      {
        /** Site (warehouse, shop) whose bin assignments answer a scan that names none. */
        site: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' }),
      },
      { additionalProperties: false },
    ),
    /** Code version recorded with models and pipeline steps when git is unavailable (e.g. in an image). */
    codeVersion: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  },
  { additionalProperties: false },
)
export type Config = Static<typeof ConfigSchema>
