// compromise.js FILE.jsonl - runs compromise (people, organisations,
// places and quotations) over the "text" of each line, as nerq's peer
// in `make bench`. Prints the bytes read and the seconds spent.
'use strict';
const fs = require('fs');
const nlp = require('compromise');
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const texts = lines.map((l) => JSON.parse(l).text);
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const t0 = process.hrtime.bigint();
let found = 0;
for (const t of texts) {
  const doc = nlp(t);
  found += doc.people().length + doc.organizations().length + doc.places().length +
    doc.quotations().length;
}
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${bytes} ${s.toFixed(3)} ${found}`);
