// Writes NAME.gz and NAME.br beside every compressible file of dist/, so the node serves the
// smallest variant a browser accepts without compressing on each request (node's zlib: no deps).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const DIST = new URL("../dist/", import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|mjs|css|html|json|webmanifest|svg|txt|xml|map)$/;
const MIN_BYTES = 512;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let count = 0;
for (const path of files(DIST)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const raw = readFileSync(path);
  if (raw.length < MIN_BYTES) continue;
  const gz = gzipSync(raw, { level: 9 });
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
  if (br.length < raw.length) writeFileSync(`${path}.br`, br);
  count += 1;
}
console.log(`precompressed ${count} files (gzip and brotli)`);
