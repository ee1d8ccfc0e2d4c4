export { gradCam, findTargetLayer, type GradCamOptions, type GradCamResult } from './grad-cam.js'
export {
  renderHeatmapOverlay,
  jet,
  type HeatmapOverlay,
  type HeatmapOverlayOptions,
} from './heatmap-overlay.js'
