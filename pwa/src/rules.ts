// The same checks as backend/core/tally_validation.py, run as the user types.
import { groupDigits, readWholeNumber, type NumberShape } from './numbers'
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

/** A number or a problem for one raw input; '' means "not entered". "52.000.000" is 52 million. */
export function parseValue(raw: string, maximum?: number | null): number | FieldMessage | null {
  const shape = readWholeNumber(raw)
  if (shape === 'empty') return null
  if (typeof shape !== 'number') return shapeProblem(shape)
  const limit = maximum ?? MAX_COUNT
  if (shape > limit) {
    return msg('too_large', `Giá trị không được lớn hơn ${groupDigits(limit)}`, `Value cannot exceed ${groupDigits(limit, ',')}`)
  }
  return shape
}

/** Why an input is not a whole number, with an example of what is accepted. */
function shapeProblem(shape: Exclude<NumberShape, number | 'empty'>): FieldMessage {
  switch (shape) {
    case 'negative':
      return msg('negative', 'Giá trị không được âm', 'Value cannot be negative')
    case 'comma_groups':
      return msg('not_a_number', 'Dùng dấu chấm để phân cách hàng nghìn, ví dụ 52.000.000',
        'Separate thousands with dots, e.g. 52.000.000')
    case 'decimal':
      return msg('not_whole', 'Giá trị phải là số nguyên, không có phần thập phân',
        'Value must be a whole number, without decimals')
    default:
      return msg('not_a_number', 'Giá trị phải là số nguyên, ví dụ 1250 hoặc 52.000.000',
        'Value must be a whole number, e.g. 1250 or 52.000.000')
  }
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
