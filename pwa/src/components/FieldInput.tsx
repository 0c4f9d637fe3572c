// One tally field: label, help, last year's figure, the input, and its message.
import type { TallyField } from '../types'
import { formatNumber, useLang } from '../i18n'
import { groupDigits, readWholeNumber } from '../numbers'
import type { FieldMessage } from '../rules'

/** A whole number typed without separators is shown grouped ("52000000" → "52.000.000"); anything else stays as typed. */
export function tidyNumber(raw: string): string {
  const value = readWholeNumber(raw)
  return typeof value === 'number' ? groupDigits(value) : raw
}

interface Props {
  field: TallyField
  raw: string
  previous: number | undefined
  error: FieldMessage | undefined
  jump: boolean
  onInput: (code: string, raw: string) => void
}

export function FieldInput({ field, raw, previous, error, jump, onInput }: Props) {
  const { t, pick, lang } = useLang()
  const id = `f-${field.code}`
  const describedBy = [field.help && `${id}-help`, previous !== undefined && `${id}-prev`, (error || jump) && `${id}-msg`]
    .filter(Boolean)
    .join(' ')
  const required = field.required ?? true
  const label = (
    <>
      {pick(field.label)} <span class="muted">({t(required ? 'required_mark' : 'optional_mark')})</span>
    </>
  )
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      {field.kind === 'yes_no' ? (
        <fieldset class="yes-no" aria-describedby={describedBy || undefined}>
          <legend>{label}</legend>
          {(['1', '0'] as const).map((v) => (
            <label key={v} class="choice">
              <input type="radio" name={id} id={v === '1' ? id : undefined} value={v} checked={raw === v}
                onChange={() => onInput(field.code, v)} />
              {t(v === '1' ? 'yes' : 'no')}
            </label>
          ))}
        </fieldset>
      ) : (
        <>
          <label for={id}>{label}</label>
          <input id={id} name={field.code} type="text" inputMode="numeric" autocomplete="off"
            value={raw} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy || undefined}
            onInput={(e) => onInput(field.code, (e.target as HTMLInputElement).value)}
            onBlur={() => {
              const tidy = tidyNumber(raw)
              if (tidy !== raw) onInput(field.code, tidy)
            }} />
        </>
      )}
      {field.help && <p id={`${id}-help`} class="help">{pick(field.help)}</p>}
      {previous !== undefined && (
        <p id={`${id}-prev`} class="prev">
          {t('last_year')}: <strong>{field.kind === 'yes_no' ? t(previous ? 'yes' : 'no') : formatNumber(lang, previous)}</strong>
        </p>
      )}
      {error ? (
        <p id={`${id}-msg`} class="msg error">{lang === 'vi' ? error.vi : error.en}</p>
      ) : jump ? (
        <p id={`${id}-msg`} class="msg warn">{t('jump_warning')}</p>
      ) : null}
    </div>
  )
}
