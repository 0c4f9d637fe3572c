// The same checks as backend/core/tally_validation.py, run as the user types.
import type { TallySpec } from './types'

/** Same guard as the server's MAX_COUNT. */
export const MAX_COUNT = 2_000_000_000_000

export interface FieldMessage {
  code: string
  vi: string
  en: string
}

export interface CheckResult {
  /** Whole numbers for every field that parsed cleanly. */
  values: Record<string, number>
  /** At most one message per field: shape problems first, then order rules. */
  errors: Record<string, FieldMessage>
}

const msg = (code: string, vi: string, en: string): FieldMessage => ({ code, vi, en })

/** A number or a problem for one raw input; '' means "not entered". Only plain digits are a number. */
export function parseValue(raw: string, maximum?: number | null): number | FieldMessage | null {
  const text = raw.trim().replace(/\s+/g, '')
  if (text === '') return null
  if (!/^\d+$/.test(text)) return shapeProblem(text)
  const value = Number(text)
  const limit = maximum ?? MAX_COUNT
  if (value > limit) {
    return msg('too_large', `Giá trị không được lớn hơn ${limit}`, `Value cannot exceed ${limit}`)
  }
  return value
}

/** Why a non-digit input is refused; "1.000" is refused rather than guessed (1 or 1000?). */
function shapeProblem(text: string): FieldMessage {
  if (/^-\d/.test(text)) return msg('negative', 'Giá trị không được âm', 'Value cannot be negative')
  if (/^\d{1,3}([.,]\d{3})+$/.test(text)) {
    return msg('not_a_number', 'Chỉ nhập chữ số, không dùng dấu chấm hoặc dấu phẩy',
      'Digits only, without dots or commas')
  }
  if (/^\d+[.,]\d+$/.test(text)) {
    return msg('not_whole', 'Giá trị phải là số nguyên, không có phần thập phân',
      'Value must be a whole number, without decimals')
  }
  return msg('not_a_number', 'Giá trị phải là số nguyên', 'Value must be a whole number')
}

/** Shape problems (required, whole, ≥ 0, maximum) then order-rule chains over the clean values. */
export function checkTally(spec: TallySpec, raw: Record<string, string>): CheckResult {
  const values: Record<string, number> = {}
  const errors: Record<string, FieldMessage> = {}
  for (const field of spec.fields) {
    const parsed = parseValue(raw[field.code] ?? '', field.maximum)
    if (parsed === null) {
      if (field.required ?? true) {
        errors[field.code] = msg('required', 'Trường bắt buộc chưa được nhập', 'Required field is missing')
      }
    } else if (typeof parsed === 'number') values[field.code] = parsed
    else errors[field.code] = parsed
  }
  for (const rule of spec.order_rules ?? []) {
    const present = rule.chain.filter((c) => c in values)
    for (let i = 0; i + 1 < present.length; i++) {
      const smaller = present[i]
      if (values[smaller] > values[present[i + 1]]) {
        errors[smaller] ??= msg(rule.code, rule.message.vi, rule.message.en)
        break
      }
    }
  }
  return { values, errors }
}

/** Errors worth showing while typing: a blank required field is only an error once submit is tried. */
export function typingErrors(result: CheckResult): Record<string, FieldMessage> {
  return Object.fromEntries(Object.entries(result.errors).filter(([, m]) => m.code !== 'required'))
}

/** The server's jump flag, shown as a warning (accepted, but the officer will look). */
export function isJump(ratio: number, minimumPrevious: number, previous: number, current: number): boolean {
  if (Math.max(previous, current) < minimumPrevious) return false
  const [low, high] = previous < current ? [previous, current] : [current, previous]
  return low === 0 || high / low >= ratio
}
