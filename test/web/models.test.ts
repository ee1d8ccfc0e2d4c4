import { describe, expect, it } from 'vitest'
import { ResponseShapeError } from '../../src/web/src/lib/errors.js'
import { computeClassificationMetrics } from '../../src/model/index.js'
import { decodeModels } from '../../src/web/src/lib/models.js'

describe('decodeModels', () => {
  it('reads versions, metrics, per-class F1 and images, newest first', () => {
    const models = decodeModels({
      models: [
        {
          name: 'sportscan',
          version: 1,
          aliases: [],
          metrics: { accuracy: 0.7 },
          created_at: '2026-11-25T10:00:00Z',
        },
        {
          name: 'sportscan',
          version: 2,
          aliases: ['production', 'staging'],
          metrics: {
            accuracy: 0.84,
            macro_f1: 0.82,
            per_class_f1: { baseball: 0.9, golf_ball: 0.7 },
            epochs: 12,
          },
          confusion_matrix_url: '/models/sportscan/2/confusion-matrix.png',
          artifacts: { learning_curve: '/models/sportscan/2/learning-curve.png', notes: 'text' },
        },
      ],
    })
    expect(models.map((m) => m.ref)).toEqual(['sportscan@2', 'sportscan@1'])
    const [latest] = models
    expect(latest?.isProduction).toBe(true)
    expect(latest?.accuracy).toBe(0.84)
    expect(latest?.macroF1).toBe(0.82)
    expect(latest?.perClassF1).toEqual({ baseball: 0.9, golf_ball: 0.7 })
    expect(latest?.otherMetrics).toEqual({ epochs: 12 })
    expect(latest?.images).toEqual([
      { title: 'Confusion matrix', url: '/models/sportscan/2/confusion-matrix.png' },
      { title: 'Learning curve', url: '/models/sportscan/2/learning-curve.png' },
    ])
    expect(models[1]?.isProduction).toBe(false)
  })

  it('finds production from a top-level reference and per-class objects', () => {
    const [model] = decodeModels({
      production: { name: 'm', version: 4 },
      items: [
        { name: 'm', version: 4, metrics: { test_accuracy: 0.5, per_class: { a: { f1: 0.4, recall: 1 } } } },
      ],
    })
    expect(model?.isProduction).toBe(true)
    expect(model?.aliases).toEqual(['production'])
    expect(model?.accuracy).toBe(0.5)
    expect(model?.perClassF1).toEqual({ a: 0.4 })
  })

  it('reads the current API shape with is_production and the serving ref', () => {
    const models = decodeModels({
      serving: { ref: 'sportscan@1', origin: 'bundled' },
      models: [
        {
          ref: 'sportscan@1',
          name: 'sportscan',
          version: 1,
          metrics: {},
          aliases: [],
          is_production: false,
          is_serving: false,
        },
        {
          ref: 'sportscan@2',
          name: 'sportscan',
          version: 2,
          metrics: {},
          aliases: ['staging'],
          is_production: true,
          is_serving: false,
        },
      ],
    })
    expect(models.map((m) => [m.ref, m.isProduction, m.isServing])).toEqual([
      ['sportscan@2', true, false],
      ['sportscan@1', false, true],
    ])
    expect(models[0]?.aliases).toEqual(['staging', 'production'])
    expect(models[0]?.images).toEqual([])
  })

  it('lists the model served from outside the registry (the bundled one) first, with its metrics and card', () => {
    const models = decodeModels({
      serving: {
        ref: 'sports-ball-cnn@bundled-5',
        origin: 'bundled',
        name: 'sports-ball-cnn',
        version: 'bundled-5',
        metrics: { accuracy: 0.723, macroF1: 0.7 },
        model_card_url: '/models/sports-ball-cnn/bundled-5/files/README.md',
        confusion_matrix_url: '/models/sports-ball-cnn/bundled-5/files/confusion-matrix.png',
        learning_curves_url: null,
      },
      models: [],
    })
    expect(models).toHaveLength(1)
    expect(models[0]).toMatchObject({
      ref: 'sports-ball-cnn@bundled-5',
      origin: 'bundled',
      isServing: true,
      accuracy: 0.723,
      modelCardUrl: '/models/sports-ball-cnn/bundled-5/files/README.md',
      images: [
        { title: 'Confusion matrix', url: '/models/sports-ball-cnn/bundled-5/files/confusion-matrix.png' },
      ],
    })
  })

  it('reads the pipeline metrics (camelCase, nested under test) and their confusion counts', () => {
    const [model] = decodeModels({
      models: [
        {
          name: 'm',
          version: 1,
          metrics: {
            test: {
              n: 4,
              accuracy: 0.75,
              macroF1: 0.7,
              labels: ['a', 'b'],
              perClass: { a: { precision: 1, recall: 0.5, f1: 0.67, support: 2 } },
              confusion: [
                [1, 1],
                [0, 2],
              ],
            },
          },
        },
      ],
    })
    expect(model?.accuracy).toBe(0.75)
    expect(model?.macroF1).toBe(0.7)
    expect(model?.perClassF1).toEqual({ a: 0.67 })
    expect(model?.otherMetrics).toEqual({ n: 4 })
    expect(model?.confusion).toEqual({
      labels: ['a', 'b'],
      counts: [
        [1, 1],
        [0, 2],
      ],
    })
  })

  it('ignores a confusion matrix whose size does not match its labels', () => {
    const [model] = decodeModels({
      models: [{ name: 'm', version: 1, metrics: { accuracy: 1, labels: ['a', 'b'], confusion: [[1, 0]] } }],
    })
    expect(model?.confusion).toBeNull()
  })

  it('reads the metrics the pipeline records, as computeClassificationMetrics makes them', () => {
    const labels = ['basketball', 'tennis_ball', 'volleyball']
    const probs = [
      [0.8, 0.1, 0.1],
      [0.2, 0.7, 0.1],
      [0.6, 0.3, 0.1],
      [0.1, 0.1, 0.8],
    ]
    const scored = computeClassificationMetrics(probs, [0, 1, 1, 2], labels)
    // The registry stores it as JSON, so go through JSON as the API does.
    const metrics: unknown = JSON.parse(JSON.stringify({ ...scored, subset: 'test', temperature: 1.3 }))
    const [model] = decodeModels({ models: [{ name: 'sports-ball-cnn', version: 3, aliases: [], metrics }] })
    expect(model?.accuracy).toBe(scored.accuracy)
    expect(model?.macroF1).toBe(scored.macroF1)
    expect(model?.perClassF1).toEqual(Object.fromEntries(labels.map((l) => [l, scored.perClass[l]?.f1])))
    expect(model?.confusion).toEqual({ labels, counts: scored.confusion })
    expect(model?.otherMetrics).toMatchObject({ n: 4, ece: scored.ece, temperature: 1.3 })
    expect(model?.thresholds).toEqual(scored.byThreshold)
    // Confidences 0.8, 0.7, 0.6 (the wrong one), 0.8: at 0.7 three scans count, all right; at 0.5 all four.
    expect(model?.thresholds.find((t) => t.threshold === 0.7)).toEqual({
      threshold: 0.7,
      coverage: 0.75,
      accuracy: 1,
    })
    expect(model?.thresholds.find((t) => t.threshold === 0.5)).toEqual({
      threshold: 0.5,
      coverage: 1,
      accuracy: 0.75,
    })
  })

  it('leaves out malformed threshold rows and keeps "none counted" as null', () => {
    const [model] = decodeModels({
      models: [
        {
          name: 'm',
          version: 1,
          metrics: {
            accuracy: 0.5,
            byThreshold: [
              { threshold: 0.9, coverage: 0, accuracy: null },
              { threshold: 0.5, coverage: 0.8, accuracy: 0.6 },
              { threshold: 'high', coverage: 1, accuracy: 1 },
              { threshold: 0.7, coverage: 0.5 },
            ],
          },
        },
      ],
    })
    expect(model?.thresholds).toEqual([
      { threshold: 0.5, coverage: 0.8, accuracy: 0.6 },
      { threshold: 0.9, coverage: 0, accuracy: null },
    ])
  })

  it('rejects a model without a name', () => {
    expect(() => decodeModels({ models: [{ version: 1 }] })).toThrow(ResponseShapeError)
  })
})
