// Derives data/country-extents.tsv, the table sitdash embeds to tell whether an imported row's
// coordinates fit its country, from Natural Earth's countries (50m) as published on npm in
// `world-atlas`, and the ISO 3166-1 codes and English names of `i18n-iso-countries`.
//
// Usage: node data/make-extents.mjs MODULES OUT   (MODULES holds both packages)
// Normally run through data/make-extents.sh, which installs them under target/.
//
// Each country is a few boxes, not one: the bounding box of each of its polygons, with boxes
// that lie within MERGE degrees of each other merged, so that France is mainland France and
// French Guiana rather than a box from the Caribbean to the Indian Ocean. Natural Earth splits
// polygons at the antimeridian, so no box wraps. Boxes are rounded outwards to 0.01°; sitdash
// adds its own margin when it checks a point.
//
// Output, tab-separated, one country a line, sorted by name:
//   alpha-3, alpha-2, numeric, name, other names (|-separated), boxes (west,south,east,north;…)
// Countries without an ISO code in Natural Earth (Kosovo) get `-` for their codes.
import { readFileSync, writeFileSync } from "node:fs";

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error("usage: node data/make-extents.mjs MODULES OUT");
  process.exit(2);
}

const MERGE = 2;
const topo = JSON.parse(readFileSync(`${dir}/world-atlas/countries-50m.json`, "utf8"));
const en = JSON.parse(readFileSync(`${dir}/i18n-iso-countries/langs/en.json`, "utf8")).countries;
const codes = JSON.parse(readFileSync(`${dir}/i18n-iso-countries/codes.json`, "utf8"));

// Parts Natural Earth draws apart that event data sets code inside another country, and the
// names other than ISO's that ACLED and UCDP use (UCDP's "Name (Former name)" is split by
// sitdash itself). A name two countries share in i18n-iso-countries ("Congo") is dropped
// unless it is given here.
const PART_OF = {
  Somaliland: "706",
  "N. Cyprus": "196",
  "Siachen Glacier": "356",
  "W. Sahara": "504",
  Kosovo: "688",
};
const ALIASES = {
  "180": ["Democratic Republic of Congo", "DR Congo", "DRC", "Zaire", "Congo-Kinshasa"],
  "178": ["Republic of Congo", "Congo", "Congo-Brazzaville"],
  "384": ["Ivory Coast"],
  "275": ["Palestine", "Palestinian Territories", "West Bank", "Gaza Strip", "Gaza"],
  "748": ["eSwatini", "Kingdom of eSwatini", "Swaziland"],
  "104": ["Burma"],
  "807": ["Macedonia", "FYR Macedonia", "Macedonia, FYR"],
  "070": ["Bosnia-Herzegovina"],
  "688": ["Yugoslavia"],
  "643": ["Soviet Union", "USSR"],
  "116": ["Kampuchea"],
  "716": ["Rhodesia"],
  "450": ["Malagasy"],
  "854": ["Upper Volta"],
  "887": ["North Yemen", "South Yemen"],
  "704": ["North Vietnam", "South Vietnam"],
  "203": ["Czech Republic", "Czechia"],
  "792": ["Turkey", "Türkiye"],
  "626": ["East Timor", "Timor-Leste"],
  "132": ["Cape Verde", "Cabo Verde"],
  "840": ["United States", "USA"],
  "826": ["United Kingdom", "UK", "Great Britain"],
  "410": ["South Korea"],
  "408": ["North Korea"],
  "418": ["Laos"],
  "760": ["Syria"],
  "364": ["Iran"],
};

const { scale: [kx, ky], translate: [tx, ty] } = topo.transform;
// Each arc's bounding boxes, in degrees: of its points east of Greenwich and of those west of
// it. A polygon more than 180° wide crosses the antimeridian (Natural Earth closes such rings
// along it), so it is bounded by the two halves apart.
const EMPTY = [Infinity, Infinity, -Infinity, -Infinity];
const arcBox = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  const halves = [[...EMPTY], [...EMPTY]];
  for (const [dx, dy] of arc) {
    x += dx; y += dy;
    const lon = x * kx + tx, lat = y * ky + ty;
    const b = halves[lon >= 0 ? 0 : 1];
    b[0] = Math.min(b[0], lon); b[1] = Math.min(b[1], lat);
    b[2] = Math.max(b[2], lon); b[3] = Math.max(b[3], lat);
  }
  return halves;
});
const union = (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
const near = (a, b) =>
  a[0] - MERGE <= b[2] && b[0] - MERGE <= a[2] && a[1] - MERGE <= b[3] && b[1] - MERGE <= a[3];
// The outer ring of each polygon bounds it.
const polygonBoxes = (g) => {
  const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  return polygons.flatMap(([outer]) => {
    const boxes = outer.map((i) => arcBox[i < 0 ? ~i : i]);
    const east = boxes.map((b) => b[0]).reduce(union, EMPTY);
    const west = boxes.map((b) => b[1]).reduce(union, EMPTY);
    const whole = union(east, west);
    return (whole[2] - whole[0] > 180 ? [east, west] : [whole]).filter((b) => Number.isFinite(b[0]));
  });
};

const byNumeric = new Map(codes.map(([a2, a3, n]) => [n, { a2, a3 }]));
// By numeric code, or by name for the few without one (Kosovo). A part drawn apart is kept as
// its own entry and also added to the country it is coded in.
const countries = new Map();
const geometries = topo.objects.countries.geometries;
for (const g of geometries) {
  if (g.id === undefined && !PART_OF[g.properties.name]) continue; // e.g. "Indian Ocean Ter."
  const key = g.id ?? g.properties.name;
  const entry = countries.get(key) ?? { numeric: g.id, neName: g.properties.name, boxes: [] };
  entry.boxes.push(...polygonBoxes(g));
  countries.set(key, entry);
}
for (const g of geometries) {
  const into = PART_OF[g.properties.name];
  if (into) countries.get(into).boxes.push(...polygonBoxes(g));
}
for (const name of Object.keys(PART_OF)) if (name !== "Kosovo") countries.delete(name);

const names = (value) => (Array.isArray(value) ? value : value ? [value] : []);
const owners = new Map(); // i18n name -> how many countries have it
for (const value of Object.values(en)) for (const n of names(value)) owners.set(n, (owners.get(n) ?? 0) + 1);

const lines = [];
for (const c of countries.values()) {
  let boxes = c.boxes.filter((b) => Number.isFinite(b[0]));
  for (let merged = true; merged; ) {
    merged = false;
    outer: for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        if (near(boxes[i], boxes[j])) {
          boxes[i] = union(boxes[i], boxes[j]);
          boxes.splice(j, 1);
          merged = true;
          break outer;
        }
  }
  const codes = c.numeric ? byNumeric.get(c.numeric) : undefined;
  const iso = codes ? names(en[codes.a2]).filter((n) => owners.get(n) === 1) : [];
  const all = [...iso, c.neName, ...(ALIASES[c.numeric] ?? [])];
  const name = all[0];
  const others = [...new Set(all.slice(1))].filter((n) => n !== name);
  const down = (v) => (Math.floor(v * 100) / 100).toFixed(2);
  const up = (v) => (Math.ceil(v * 100) / 100).toFixed(2);
  const box = boxes
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map((b) => [down(b[0]), down(b[1]), up(b[2]), up(b[3])].join(","))
    .join(";");
  lines.push([codes?.a3 ?? "-", codes?.a2 ?? "-", c.numeric ?? "-", name, others.join("|"), box].join("\t"));
}
lines.sort((a, b) => a.split("\t")[3].localeCompare(b.split("\t")[3], "en"));
const header =
  "# alpha3\talpha2\tnumeric\tname\tother names\tboxes (west,south,east,north;...)\n" +
  "# Derived from Natural Earth (public domain) via world-atlas 2.0.2 and i18n-iso-countries 7.14.0 by data/make-extents.sh\n";
writeFileSync(out, header + lines.join("\n") + "\n");
const boxCount = lines.reduce((n, l) => n + l.split("\t")[5].split(";").length, 0);
console.error(`${out}: ${lines.length} countries, ${boxCount} boxes`);
