import { describe, expect, test } from '../fixtures.js'
import * as registry from '../../src/registry/index.js'

describe('registry errors', () => {
  test('messages name the model, alias or folder', () => {
    expect(new registry.UnknownAliasError('beta', registry.MODEL_ALIASES).message).toBe(
      '"beta" is not an alias models can be promoted to (use production or staging)',
    )
    expect(new registry.RegistrationFailedError('m', new Error('disk full')).message).toBe(
      'could not register model "m": disk full',
    )
  })
})

describe('parseModelRef', () => {
  test('reads latest, version and alias references', () => {
    expect(registry.parseModelRef('cnn')).toEqual({ name: 'cnn', kind: 'latest' })
    expect(registry.parseModelRef('cnn@latest')).toEqual({ name: 'cnn', kind: 'latest' })
    expect(registry.parseModelRef('cnn@12')).toEqual({ name: 'cnn', kind: 'version', version: 12 })
    expect(registry.parseModelRef('cnn@production')).toEqual({
      name: 'cnn',
      kind: 'alias',
      alias: 'production',
    })
    expect(() => registry.parseModelRef('Cnn@1')).toThrow(registry.InvalidModelRefError)
    expect(() => registry.parseModelRef('cnn@1.5')).toThrow(registry.InvalidModelRefError)
  })
})
