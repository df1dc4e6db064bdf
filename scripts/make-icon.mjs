// Draws images/icon.png (128x128): a padlock under a magnifying lens on a dark-blue tile.
// Pure Node (zlib for the PNG), so anyone can regenerate it: `node scripts/make-icon.mjs`.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const SIZE = 128;
const SAMPLES = 4; // 4x4 supersampling per pixel for smooth edges

// Signed distance helpers (negative inside).
const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const ring = (x, y, cx, cy, r, w) => Math.abs(circle(x, y, cx, cy, r)) - w / 2;
const segment = (x, y, ax, ay, bx, by, w) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - w / 2;
};

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const over = (dst, src, alpha) => mix(dst, src, alpha);

/** The colour of one sample point, as [r, g, b, a] in 0..1. */
function shade(x, y) {
  let color = [0, 0, 0, 0];
  // Tile: rounded square, vertical gradient from deep blue to teal.
  if (roundRect(x, y, 64, 64, 62, 62, 22) <= 0) {
    const t = y / SIZE;
    color = [...mix([0.09, 0.17, 0.33], [0.05, 0.45, 0.5], t), 1];
  }
  const white = [0.96, 0.97, 0.98, 1];
  // Padlock: shackle (upper half of a ring) and body.
  const shackle = ring(x, y, 52, 50, 15, 7) <= 0 && y <= 56;
  const shackleLegs = segment(x, y, 37, 50, 37, 60, 7) <= 0 || segment(x, y, 67, 50, 67, 60, 7) <= 0;
  if (shackle || shackleLegs) color = white;
  if (roundRect(x, y, 52, 76, 26, 20, 6) <= 0) {
    color = white;
    // Keyhole.
    if (circle(x, y, 52, 72, 5) <= 0 || segment(x, y, 52, 72, 52, 84, 4) <= 0) color = [0.09, 0.25, 0.4, 1];
  }
  // Lens: amber ring with a handle, tinted glass inside.
  const amber = [1, 0.72, 0.15, 1];
  if (circle(x, y, 84, 82, 17) <= 0) color = over(color, [1, 0.85, 0.5, 1], 0.35);
  if (ring(x, y, 84, 82, 17, 6) <= 0) color = amber;
  if (segment(x, y, 97, 95, 110, 108, 9) <= 0) color = amber;
  return color;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0 (none) + RGBA
  for (let px = 0; px < SIZE; px++) {
    let acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = shade(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        // Premultiply so transparent samples do not darken the edges.
        acc = [acc[0] + c[0] * c[3], acc[1] + c[1] * c[3], acc[2] + c[2] * c[3], acc[3] + c[3]];
      }
    }
    const n = SAMPLES * SAMPLES;
    const a = acc[3] / n;
    const rgb = a > 0 ? acc.slice(0, 3).map((v) => v / n / a) : [0, 0, 0];
    [...rgb, a].forEach((v, i) => (row[1 + px * 4 + i] = Math.round(Math.min(1, Math.max(0, v)) * 255)));
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../images/icon.png', import.meta.url);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote images/icon.png (${png.length} bytes)`);
