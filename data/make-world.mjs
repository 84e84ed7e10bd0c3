// Converts Natural Earth's country borders and coastlines, as TopoJSON from the npm package
// `world-atlas`, into data/world.bin: the compact file sitdash embeds for its map.
//
// Usage: node data/make-world.mjs DIR OUT   (DIR holds countries-{110m,50m,10m}.json)
// Normally run through data/make-world.sh, which installs the package under target/.
//
// Every arc of the topology is drawn (each shared border once, coastlines included), so
// only the arcs are kept, not the polygons. world-atlas stores them quantized on a
// 100,000-step grid and delta-encoded; this keeps that grid and writes each step as a
// zigzag LEB128 varint, so most steps take one byte.
//
// Layout (little-endian):
//   "SDW1", u8 levels, then per level, coarsest first:
//     u8 name length, name (e.g. "110m"), f64 scale x, f64 scale y, f64 translate x,
//     f64 translate y, u32 arcs, u32 bytes of arc data, then per arc:
//       varint points, then per point zigzag varint dx, dy (the first from 0,0).
import { readFileSync, writeFileSync } from "node:fs";

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error("usage: node data/make-world.mjs DIR OUT");
  process.exit(2);
}

const bytes = [];
const u8 = (v) => bytes.push(v & 0xff);
const u32 = (v) => { for (let i = 0; i < 4; i++) u8(v >>> (8 * i)); };
const f64 = (v) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); for (const x of b) u8(x); };
const varint = (v, to) => {
  while (v >= 0x80) { to.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); }
  to.push(v);
};
const zigzag = (v) => (v >= 0 ? 2 * v : -2 * v - 1);

for (const c of "SDW1") u8(c.charCodeAt(0));
const levels = ["110m", "50m", "10m"];
u8(levels.length);
for (const name of levels) {
  const topo = JSON.parse(readFileSync(`${dir}/countries-${name}.json`, "utf8"));
  if (!topo.transform) throw new Error(`${name}: expected a quantized topology`);
  const arcs = [];
  let points = 0;
  let kept = 0;
  for (const arc of topo.arcs) {
    // Steps of zero (a point repeated after quantizing) draw nothing: drop them.
    const steps = arc.filter((p, i) => i === 0 || p[0] !== 0 || p[1] !== 0);
    if (steps.length < 2) continue;
    varint(steps.length, arcs);
    for (const [dx, dy] of steps) { varint(zigzag(dx), arcs); varint(zigzag(dy), arcs); }
    points += steps.length;
    kept += 1;
  }
  u8(name.length);
  for (const c of name) u8(c.charCodeAt(0));
  f64(topo.transform.scale[0]);
  f64(topo.transform.scale[1]);
  f64(topo.transform.translate[0]);
  f64(topo.transform.translate[1]);
  u32(kept);
  u32(arcs.length);
  for (const b of arcs) bytes.push(b);
  console.error(`${name}: ${kept} arcs, ${points} points, ${arcs.length} bytes`);
}
writeFileSync(out, Buffer.from(bytes));
console.error(`${out}: ${bytes.length} bytes`);
