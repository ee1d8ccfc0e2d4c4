export { BALL_LABELS, isBallLabel, type BallLabel } from './labels.js'
export { preprocessImage, CHANNELS, type PreprocessSpec, type PreprocessOptions } from './preprocess.js'
export { ImageDecodeError, ImageTooLargeError } from './errors.js'
