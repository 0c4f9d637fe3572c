// CSV of the status table, made on the device (opens in Excel with Vietnamese intact thanks to the BOM).
import type { UnitStatus } from './types'

const cell = (v: string | number | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Level reached from the unit's evaluation; undefined for units that are not evaluated (villages). */
export function levelOf(status: UnitStatus): number | undefined {
  return status.evaluation?.level_reached
}

export function statusCsv(rows: UnitStatus[], lang: 'vi' | 'en'): string {
  const rateCodes = [...new Set(rows.flatMap((r) => r.rates.map((x) => x.code)))]
  const rateLabel = new Map(rows.flatMap((r) => r.rates.map((x) => [x.code, lang === 'vi' ? x.label_vi : x.label_en] as const)))
  const withLevel = rows.some((r) => levelOf(r) !== undefined)
  const head = lang === 'vi'
    ? ['Mã', 'Đơn vị', 'Năm', 'Tổng số thôn', 'Đã báo cáo', 'Đã xác nhận']
    : ['Code', 'Unit', 'Year', 'Villages', 'Reported', 'Confirmed']
  if (withLevel) head.push(...(lang === 'vi' ? ['Mức độ đạt', 'Mức được công nhận', 'Mức kế hoạch', 'Chậm kế hoạch'] : ['Level reached', 'Recognised level', 'Target level', 'Behind plan']))
  const lines: (string | number | null | undefined)[][] = [[...head, ...rateCodes.map((c) => `${rateLabel.get(c) ?? c} (%)`)]]
  for (const r of rows) {
    const rates = new Map(r.rates.map((x) => [x.code, x.value]))
    const c = r.completeness
    const line: (string | number | null | undefined)[] = [r.unit.code, r.unit.name, r.year, c.villages_total, c.villages_reported, c.villages_confirmed]
    if (withLevel) line.push(levelOf(r) ?? '', r.recognized_level, r.target?.target_level, r.progress ? (r.progress.behind ? 1 : 0) : '')
    line.push(...rateCodes.map((code) => (rates.get(code) == null ? '' : Number(rates.get(code)).toFixed(1))))
    lines.push(line)
  }
  return '\ufeff' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n'
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = Object.assign(document.createElement('a'), { href: url, download: filename })
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
