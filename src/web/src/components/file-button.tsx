import type { ComponentChildren, Ref } from 'preact'

/**
 * A button that opens the file picker (or, with `capture`, the phone camera): a label around a hidden file
 * input, so it looks and focuses like every other button. Hands over the first file chosen, and clears the
 * input so choosing the same file again still counts.
 */
export function FileButton({
  accept,
  capture,
  disabled = false,
  isPrimary = false,
  class: className,
  testId,
  inputRef,
  onFile,
  children,
}: {
  accept: string
  capture?: 'environment' | 'user'
  disabled?: boolean
  isPrimary?: boolean
  class?: string
  testId?: string
  inputRef?: Ref<HTMLInputElement>
  onFile: (file: File) => void
  children: ComponentChildren
}) {
  const classes = ['button', isPrimary ? 'button--primary' : '', 'file-button', className ?? '']
  if (disabled) classes.push('is-disabled')
  return (
    <label class={classes.filter(Boolean).join(' ')}>
      <input
        ref={inputRef}
        type="file"
        accept={accept}
        capture={capture}
        class="visually-hidden"
        data-testid={testId}
        disabled={disabled}
        onChange={(event) => {
          const input = event.currentTarget
          const file = input.files?.[0]
          input.value = ''
          if (file !== undefined) onFile(file)
        }}
      />
      {children}
    </label>
  )
}
