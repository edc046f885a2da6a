// Prints, as JSON {column: type}, the types kepler.gl gives the columns of a CSV file: the
// same type-analyzer call, sample and rules as kepler.gl's getFieldsFromData
// (src/common-utils/src/data-type.ts), with type-analyzer 0.4.0 vendored in tests/vendor.
// Usage: node tests/kepler_types.js FILE.csv
'use strict';
const fs = require('fs');
const path = require('path');
const {Analyzer, DATA_TYPES} = require(path.join(__dirname, 'vendor', 'type-analyzer'));

const ACCEPTED = [
  'DATE', 'TIME', 'DATETIME', 'NUMBER', 'INT', 'FLOAT', 'BOOLEAN', 'STRING', 'GEOMETRY',
  'GEOMETRY_FROM_STRING', 'PAIR_GEOMETRY_FROM_STRING', 'ZIPCODE', 'ARRAY', 'OBJECT'
];
const IGNORED = Object.keys(DATA_TYPES).filter(type => !ACCEPTED.includes(type));

function parseCsv(text) {
  // RFC 4180: quoted cells may hold commas, newlines and doubled quotes
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// kepler.gl's getSampleForTypeAnalyze: row i of the sample holds the i-th non-empty value of
// each column (empty cells are null in kepler.gl)
function sample(header, rows) {
  const columns = header.map((_, k) => rows.map(r => r[k]).filter(v => v !== '' && v != null));
  const size = Math.min(50, Math.max(...columns.map(c => c.length), 0));
  const out = [];
  for (let i = 0; i < size; i++) {
    const record = {};
    header.forEach((name, k) => { record[name] = columns[k][i] === undefined ? null : columns[k][i]; });
    out.push(record);
  }
  return out;
}

const text = fs.readFileSync(process.argv[2], 'utf8').replace(/^\uFEFF/, '');
const [header, ...rows] = parseCsv(text);
const meta = Analyzer.computeColMeta(
  sample(header, rows),
  [{regex: /.*geojson|all_points/g, dataType: 'GEOMETRY'}, {regex: /.*census/g, dataType: 'STRING'}],
  {ignoredDataTypes: IGNORED}
);
const types = {};
for (const {key, type} of meta) types[key] = type;
console.log(JSON.stringify(types));
