import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigInvalidError, loadConfig } from '../../src/config/index.js'
import { TEST_VIEW_PRESETS } from '../../src/model/index.js'

describe('loadConfig', () => {
  it('defaults to embedded PGlite under SPORTSCAN_HOME and port 8000 on loopback', () => {
    const config = loadConfig({ SPORTSCAN_HOME: '/tmp/sps-home' })
    expect(config.db).toEqual({ driver: 'pglite', dir: path.join('/tmp/sps-home', 'db') })
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8000, trustProxy: false })
    expect(config.serving.maxUploadBytes).toBe(10 * 1024 * 1024)
    expect(Object.isFrozen(config.serving)).toBe(true)
  })

  it("reads SPORTSCAN_TEST_VIEWS as the model's own views or one of the model's view presets", () => {
    expect(loadConfig({}).serving.testViews).toBe('model')
    for (const preset of Object.keys(TEST_VIEW_PRESETS)) {
      expect(loadConfig({ SPORTSCAN_TEST_VIEWS: preset }).serving.testViews).toBe(preset)
    }
    expect(() => loadConfig({ SPORTSCAN_TEST_VIEWS: 'ten-crop' })).toThrow(/testViews/)
  })

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' })
    expect(config.db).toMatchObject({ driver: 'pg', url: 'postgres://u@h:5432/db' })
  })

  it('reads SPORTSCAN_TRUST_PROXY as a flag, a hop count or a list of proxy addresses', () => {
    const trust = (value: string) => loadConfig({ SPORTSCAN_TRUST_PROXY: value }).server.trustProxy
    expect(trust('')).toBe(false)
    expect(trust('off')).toBe(false)
    expect(trust('true')).toBe(true)
    expect(trust('2')).toBe(2)
    expect(trust('10.0.0.0/8, 192.168.1.4')).toEqual(['10.0.0.0/8', '192.168.1.4'])
    expect(() => trust('0')).toThrow(ConfigInvalidError)
  })

  it('reads SPORTSCAN_SITE as the default put-away site, main when unset, and refuses a bad name', () => {
    expect(loadConfig({}).putaway.site).toBe('main')
    expect(loadConfig({ SPORTSCAN_SITE: 'shop-2' }).putaway.site).toBe('shop-2')
    expect(() => loadConfig({ SPORTSCAN_SITE: 'shop 2' })).toThrow(/putaway\/site/)
  })

  it('reports every bad variable in one error', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'eighty', STORE_IMAGES: 'maybe', SPORTSCAN_AUTH: 'sometimes' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigInvalidError)
    const problems = (error as ConfigInvalidError).problems.join('\n')
    expect(problems).toContain('PORT')
    expect(problems).toContain('STORE_IMAGES')
    expect(problems).toMatch(/auth/)
  })
})
