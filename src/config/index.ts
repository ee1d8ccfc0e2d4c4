export { loadConfig } from './load.js'
export { ConfigInvalidError } from './errors.js'
export type { Config, DbConfig } from './schema.js'
