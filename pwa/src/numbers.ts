// Whole numbers the Vietnamese way: "52.000.000" typed or shown, digits grouped by dots.

/** Digits grouped in threes: 52000000 → "52.000.000" (vi) or "52,000,000" (en). */
export function groupDigits(n: number, separator = '.'): string {
  const sign = n < 0 ? '-' : ''
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, separator)
}

export type NumberShape = number | 'empty' | 'negative' | 'comma_groups' | 'decimal' | 'bad'

/**
 * Read a whole number as people write it in Vietnam: plain digits, or groups of three separated by
 * dots or spaces ("52.000.000", "52 000 000"). Commas are the decimal mark in Vietnamese, so
 * "52,000,000" is refused rather than guessed.
 */
export function readWholeNumber(raw: string): NumberShape {
  const text = raw.trim().replace(/[\s\u00a0\u202f]+/g, ' ')
  if (text === '') return 'empty'
  if (/^-\s*\d/.test(text)) return 'negative'
  const compact = text.replace(/ /g, '')
  if (/^\d+$/.test(compact) && /^\d{1,3}( \d{3})*$|^\d+$/.test(text)) return Number(compact)
  if (/^\d{1,3}(\.\d{3})+$/.test(text)) return Number(text.replace(/\./g, ''))
  if (/^\d{1,3}(,\d{3})+$/.test(text)) return 'comma_groups'
  if (/^\d+[.,]\d+$/.test(text)) return 'decimal'
  return 'bad'
}

/** Seconds as words, whole minutes rounded up past one minute: 900 → "15 phút"; 5400 → "1 giờ 30 phút". */
export function formatDuration(lang: 'vi' | 'en', seconds: number): string {
  const exact = Math.max(0, Math.round(seconds))
  const s = exact < 60 ? exact : Math.ceil(exact / 60) * 60
  const parts: [number, string, string][] = [
    [Math.floor(s / 3600), 'giờ', 'hour'],
    [Math.floor((s % 3600) / 60), 'phút', 'minute'],
    [s < 60 ? s : 0, 'giây', 'second'],
  ]
  const words = parts
    .filter(([n]) => n > 0)
    .map(([n, vi, en]) => (lang === 'vi' ? `${n} ${vi}` : `${n} ${en}${n === 1 ? '' : 's'}`))
  return words.length ? words.join(' ') : lang === 'vi' ? '0 giây' : '0 seconds'
}
