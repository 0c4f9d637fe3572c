import { describe, expect, it } from 'vitest'
import { checkTally, isJump, parseValue, typingErrors } from '../src/rules'
import type { TallySpec } from '../src/types'

const t = (vi: string) => ({ vi, en: vi })
const spec: TallySpec = {
  groups: [{ code: 'g', label: t('G') }],
  fields: [
    { code: 'total', label: t('Tổng'), required: true, kind: 'count', group: 'g' },
    { code: 'registered', label: t('Đăng ký'), required: false, kind: 'count', group: 'g' },
    { code: 'recognized', label: t('Công nhận'), required: true, kind: 'count', group: 'g' },
    { code: 'yes', label: t('Có/không'), required: true, kind: 'yes_no', group: 'g', maximum: 1 },
  ],
  order_rules: [{ code: 'order', chain: ['recognized', 'registered', 'total'], message: { vi: 'Thứ tự', en: 'Order' } }],
}

describe('parseValue (same outcomes as the server)', () => {
  it.each([
    ['', null],
    ['0', 0],
    [' 42 ', 42],
    ['007', 7],
    ['1.000', 1000],
    ['52.000.000', 52_000_000],
    ['52 000 000', 52_000_000],
  ])('%j → %j', (raw, want) => expect(parseValue(raw)).toBe(want))

  it.each([
    ['-3', 'negative'],
    ['2.5', 'not_whole'],
    ['2,5', 'not_whole'],
    ['1,000', 'not_a_number'],
    ['52.00.000', 'not_a_number'],
    ['abc', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['3000000000000', 'too_large'],
  ])('%j is refused with %s', (raw, code) => {
    expect(parseValue(raw)).toMatchObject({ code })
  })

  it('applies a field maximum', () => {
    expect(parseValue('2', 1)).toMatchObject({ code: 'too_large', vi: 'Giá trị không được lớn hơn 1' })
    expect(parseValue('1', 1)).toBe(1)
  })

  it('prints the limit with thousands separators', () => {
    expect(parseValue('3.000.000.000.000')).toMatchObject({
      vi: 'Giá trị không được lớn hơn 2.000.000.000.000',
      en: 'Value cannot exceed 2,000,000,000,000',
    })
  })
})

describe('checkTally', () => {
  it('reports missing required fields but not optional ones', () => {
    const { errors } = checkTally(spec, {})
    expect(Object.keys(errors).sort()).toEqual(['recognized', 'total', 'yes'])
    expect(typingErrors({ values: {}, errors })).toEqual({})
  })

  it('checks each present link of a chain against the next present one', () => {
    // registered absent: recognized is compared with total directly.
    expect(checkTally(spec, { total: '10', recognized: '11', yes: '1' }).errors).toEqual({
      recognized: { code: 'order', vi: 'Thứ tự', en: 'Order' },
    })
    expect(checkTally(spec, { total: '10', recognized: '10', yes: '0' }).errors).toEqual({})
    // registered > total: the error sits on the smaller link, like the server.
    expect(checkTally(spec, { total: '10', registered: '12', recognized: '5', yes: '1' }).errors).toHaveProperty('registered.code', 'order')
  })

  it('returns whole numbers for clean fields', () => {
    expect(checkTally(spec, { total: '10', registered: '8', recognized: '5', yes: '1' })).toEqual({
      values: { total: 10, registered: 8, recognized: 5, yes: 1 },
      errors: {},
    })
  })
})

describe('isJump (the server flag, shown as a warning)', () => {
  it.each([
    [10, 100, true],
    [100, 10, true],
    [10, 99, false],
    [0, 5, true],
    [0, 4, false],
    [2, 3, false],
  ])('%i → %i: %s', (prev, cur, want) => expect(isJump(10, 5, prev, cur)).toBe(want))
})
