import { describe, expect, test } from '../fixtures.js'
import * as registry from '../../src/registry/index.js'

describe('registry errors', () => {
  test('every exported error class carries a distinct, listed SPS_REGISTRY_ code', () => {
    const made: Record<string, Error & { code: string }> = {
      AliasNotFoundError: new registry.AliasNotFoundError('m', 'production'),
      ArtifactMissingError: new registry.ArtifactMissingError('/x'),
      InvalidModelNameError: new registry.InvalidModelNameError('Bad'),
      InvalidModelRefError: new registry.InvalidModelRefError('m@', 'empty tag'),
      ModelNotFoundError: new registry.ModelNotFoundError('m@3'),
      RegistrationFailedError: new registry.RegistrationFailedError('m', new Error('disk full')),
      UnknownAliasError: new registry.UnknownAliasError('beta', registry.MODEL_ALIASES),
    }
    const exported = Object.entries(registry)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name)
      .sort()
    expect(Object.keys(made).sort()).toEqual(exported)
    const codes = Object.values(made).map((e) => e.code)
    expect(codes.slice().sort()).toEqual([...registry.REGISTRY_ERROR_CODES].sort())
    expect(new Set(codes).size).toBe(codes.length)
  })

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
