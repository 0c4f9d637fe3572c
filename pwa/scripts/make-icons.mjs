// Draw the app icons (an open white book on blue) as PNG and SVG; no downloads, no image library.
import { mkdirSync, writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const BLUE = [11, 92, 173]
const WHITE = [255, 255, 255]
const out = new URL('../public/', import.meta.url)
mkdirSync(out, { recursive: true }) // public/ holds only these generated icons, so a clone lacks it

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** True where the book covers pixel (x, y) in a unit square; `pad` shrinks it for maskable icons. */
const inBook = (x, y, pad) => {
  const u = (x - pad) / (1 - 2 * pad)
  const v = (y - pad) / (1 - 2 * pad)
  if (u < 0.2 || u > 0.8 || Math.abs(u - 0.5) < 0.025) return false
  const droop = 0.06 * Math.abs(u - 0.5) * 2 // pages sag towards the outer edges
  return v > 0.3 + droop && v < 0.72 + droop
}

const png = (size, pad) => {
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3)
    for (let x = 0; x < size; x++) {
      const c = inBook((x + 0.5) / size, (y + 0.5) / size, pad) ? WHITE : BLUE
      row.set(c, 1 + x * 3)
    }
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  const idat = deflateSync(Buffer.concat(rows), { level: 9 })
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))])
}

writeFileSync(new URL('icon-192.png', out), png(192, 0))
writeFileSync(new URL('icon-512.png', out), png(512, 0))
writeFileSync(new URL('icon-512-maskable.png', out), png(512, 0.1))
writeFileSync(
  new URL('icon.svg', out),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" fill="#0b5cad"/>` +
    `<path d="M20 30 L47.5 33 L47.5 75 L20 72Z M52.5 33 L80 30 L80 72 L52.5 75Z" fill="#fff"/></svg>\n`,
)
console.log('icons written')
