import { access } from 'node:fs/promises'
import { Type } from 'typebox'
import { cleanupRegistryTmp, promoteAlias, registerModel, resolveModelRef } from '../../registry/index.js'
import { defineStep } from '../step-type.js'
import { objectInput, stringInput } from './step-inputs.js'

export const registerStep = defineStep({
  name: 'register',
  version: '1',
  description: 'register the evaluated artifact as the next version of a model, optionally promoting it',
  inputs: {
    model: { kind: 'model' },
    metrics: { kind: 'metrics' },
    dataset: { kind: 'dataset' },
    split: { kind: 'split-summary' },
    training: { kind: 'training' },
  },
  outputs: { ref: { kind: 'model-ref', description: '`name@version` registered' } },
  params: Type.Object(
    {
      name: Type.String({ minLength: 1, default: 'sports-ball-cnn' }),
      promote: Type.Union([Type.Literal('none'), Type.Literal('staging'), Type.Literal('production')], {
        default: 'none',
      }),
    },
    { additionalProperties: false },
  ),
  // A cached registration counts only if this database still has that version and its folder.
  async isResultValid(result, services) {
    const ref = result.outputs.ref
    if (typeof ref !== 'string') return false
    try {
      const model = await resolveModelRef(services.db, ref)
      await access(model.artifactPath)
      return true
    } catch {
      return false
    }
  },
  async run(ctx) {
    await cleanupRegistryTmp(ctx.home).then(
      (removed) =>
        removed.length > 0 && ctx.log.info({ removed }, 'removed temp copies of dead registrations'),
      (err: unknown) => ctx.log.warn({ err }, 'could not clean up registry temp folders'),
    )
    const training = objectInput(ctx.inputs, 'training')
    const params = training.params
    const seconds = training.seconds
    const registered = await registerModel(ctx.db, {
      home: ctx.home,
      name: ctx.params.name,
      artifactDir: stringInput(ctx.inputs, 'model'),
      architecture: typeof training.architecture === 'string' ? training.architecture : 'unknown',
      datasetVersion: stringInput(ctx.inputs, 'dataset'),
      split: objectInput(ctx.inputs, 'split'),
      params: params && typeof params === 'object' && !Array.isArray(params) ? params : {},
      metrics: objectInput(ctx.inputs, 'metrics'),
      codeVersion: ctx.codeVersion,
      trainingSeconds: typeof seconds === 'number' ? seconds : null,
    })
    ctx.progress(`registered ${registered.ref}`)
    if (ctx.params.promote !== 'none') {
      await promoteAlias(ctx.db, registered.ref, ctx.params.promote)
      ctx.progress(`${ctx.params.name}@${ctx.params.promote} -> ${registered.ref}`)
    }
    return { ref: registered.ref }
  },
})
