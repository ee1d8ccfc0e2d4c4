import { Camera, FolderOpen, Image as ImageIcon } from 'lucide'
import { Icon } from '../components/icon.js'
import { useState } from 'preact/hooks'

/** File picker, phone camera and drag-and-drop, all ending in one `onPick(file)`. */
export function PhotoPicker({ onPick, disabled }: { onPick: (file: File) => void; disabled: boolean }) {
  const [isDragging, setIsDragging] = useState(false)

  const pickFrom = (input: HTMLInputElement) => {
    const file = input.files?.[0]
    // Reset so choosing the same file again still fires a change.
    input.value = ''
    if (file !== undefined) onPick(file)
  }

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
        <label class={`button button--primary file-button${disabled ? ' is-disabled' : ''}`}>
          <input
            type="file"
            accept="image/*"
            class="visually-hidden"
            data-testid="file-input"
            disabled={disabled}
            onChange={(event) => pickFrom(event.currentTarget)}
          />
          <Icon node={FolderOpen} /> Choose a photo
        </label>
        <label class={`button file-button${disabled ? ' is-disabled' : ''}`}>
          <input
            type="file"
            accept="image/*"
            capture="environment"
            class="visually-hidden"
            disabled={disabled}
            onChange={(event) => pickFrom(event.currentTarget)}
          />
          <Icon node={Camera} /> Take a photo
        </label>
      </div>
    </div>
  )
}
