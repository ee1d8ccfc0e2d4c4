export { createLogger, createSilentLogger, type Logger } from './create-logger.js'
