import sharp from 'sharp'

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Font stack for every plot: DejaVu ships with Debian, so rendering matches across machines. */
export const PLOT_FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"

export interface RenderedPlot {
  png: Buffer
  width: number
  height: number
}

/** Rasterises an SVG document with sharp (librsvg) at its own pixel size. */
export async function renderSvgToPng(svg: string, width: number, height: number): Promise<RenderedPlot> {
  const png = await sharp(Buffer.from(svg), { density: 72 })
    .resize(width, height, { fit: 'fill' })
    .png({ compressionLevel: 9 })
    .toBuffer()
  return { png, width, height }
}
