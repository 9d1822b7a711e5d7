import { loadKnowledge } from '../load.js';
import { createSearch } from '../search.js';
const kb = await loadKnowledge();
const s = createSearch(kb);
for (const q of process.argv.slice(2)) {
  const r = s.search(q);
  console.log(q, '=>', r.query, r.confidence, r.results.slice(0, 3).map((x) => `${x.entry.id}:${x.score.toFixed(3)}`).join('  '));
}
