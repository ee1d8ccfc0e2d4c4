import { h } from 'preact'
import type { IconNode } from 'lucide'

/**
 * A Lucide icon drawn as inline SVG from its node list: bundled (only the icons imported end up in the
 * build) and identical on every machine, unlike emoji, which need an emoji font.
 */
export function Icon({
  node,
  size = 18,
  class: className,
}: {
  node: IconNode
  size?: number
  class?: string
}) {
  return (
    <svg
      class={`icon${className === undefined ? '' : ` ${className}`}`}
      xmlns="http://www.w3.org/2000/svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {node.map(([tag, attrs], i) => h(tag, { key: i, ...attrs }))}
    </svg>
  )
}
