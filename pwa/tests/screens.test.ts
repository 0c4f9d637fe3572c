import { describe, expect, it } from 'vitest'
import { levelOf, statusCsv } from '../src/csv'
import { villageStatus } from '../src/screens/Commune'
import type { Tally, UnitStatus } from '../src/types'

const status = (code: string, name: string, extra: Record<string, unknown> = {}): UnitStatus => ({
  unit: { code, name, level: 'commune', parent_code: 'P', retired: false },
  year: 2025,
  totals: {},
  rates: [
    { code: 'citizens_recognized_rate', numerator: 1, denominator: 3, value: 33.333, label_vi: 'Tỷ lệ "Công dân học tập"', label_en: 'Learning citizens' },
    { code: 'trained_rate', numerator: 0, denominator: 0, value: null, label_vi: 'Tỷ lệ đào tạo', label_en: 'Trained' },
  ],
  completeness: { villages_total: 5, villages_reported: 4, villages_confirmed: 2 },
  framework_version: '2026.1',
  extra,
})

describe('statusCsv', () => {
  it('writes a BOM, quoted Vietnamese labels, one row per unit and empty cells for undefined rates', () => {
    const csv = statusCsv([status('C1', 'Xã Kiến Hưng'), status('C2', 'Xã "Mới", Hà Quảng')], 'vi')
    const lines = csv.replace('\ufeff', '').trim().split('\r\n')
    expect(csv.startsWith('\ufeff')).toBe(true)
    expect(lines[0]).toBe('Mã,Đơn vị,Năm,Tổng số thôn,Đã báo cáo,Đã xác nhận,"Tỷ lệ ""Công dân học tập"" (%)",Tỷ lệ đào tạo (%)')
    expect(lines[1]).toBe('C1,Xã Kiến Hưng,2025,5,4,2,33.3,')
    expect(lines[2]).toBe('C2,"Xã ""Mới"", Hà Quảng",2025,5,4,2,33.3,')
  })

  it('adds the level column only when the node evaluated the units', () => {
    expect(statusCsv([status('C1', 'A')], 'en').split('\r\n')[0]).not.toContain('Level reached')
    const evaluated = { ...status('C1', 'A'), evaluation: { level_reached: 2 } } as unknown as UnitStatus
    expect(statusCsv([evaluated, status('C2', 'B')], 'en').split('\r\n')[0]).toContain('Level reached')
    expect(levelOf(status('C1', 'A'))).toBeUndefined()
  })
})

describe('villageStatus', () => {
  const tally = (status: string, flags: unknown[] = []) => ({ status, flags }) as unknown as Tally
  it.each([
    [undefined, 'missing'],
    [tally('submitted'), 'submitted'],
    [tally('submitted', [{ field: 'x' }]), 'flagged'],
    [tally('confirmed', [{ field: 'x' }]), 'confirmed'],
    [tally('returned'), 'returned'],
  ])('%#: %s', (t, want) => expect(villageStatus(t)).toBe(want))
})
