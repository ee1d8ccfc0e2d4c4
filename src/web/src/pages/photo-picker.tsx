import { Camera, FolderOpen, Image as ImageIcon } from 'lucide'
import { FileButton } from '../components/file-button.js'
import { Icon } from '../components/icon.js'
import { useState } from 'preact/hooks'

/** File picker, phone camera and drag-and-drop, all ending in one `onPick(file)`. */
export function PhotoPicker({ onPick, disabled }: { onPick: (file: File) => void; disabled: boolean }) {
  const [isDragging, setIsDragging] = useState(false)

  return (
    <div
      class={`drop-zone${isDragging ? ' drop-zone--active' : ''}`}
      onDragOver={(event) => {
        event.preventDefault()
        setIsDragging(true)
      }}
      onDragLeave={() => setIsDragging(false)}
      onDrop={(event) => {
        event.preventDefault()
        setIsDragging(false)
        const file = event.dataTransfer?.files[0]
        if (file !== undefined && !disabled) onPick(file)
      }}
    >
      <p class="drop-zone__text">
        <Icon node={ImageIcon} /> Drop a photo here, or
      </p>
      <div class="button-row">
        <FileButton accept="image/*" isPrimary disabled={disabled} testId="file-input" onFile={onPick}>
          <Icon node={FolderOpen} /> Choose a photo
        </FileButton>
        <FileButton accept="image/*" capture="environment" disabled={disabled} onFile={onPick}>
          <Icon node={Camera} /> Take a photo
        </FileButton>
      </div>
    </div>
  )
}
