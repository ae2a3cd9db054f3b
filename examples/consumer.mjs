#!/usr/bin/env node
// A Takhin HTTP consumer using Node's built-in fetch (Node 18+), no packages.
// Subscribes, long-polls, "processes" each record (prints a JSON line), commits offset+1 per
// partition after processing, and closes after --max-records records or --idle-polls empty polls.
// Usage: node consumer.mjs --url http://127.0.0.1:8080 --group my-group --topics orders [--max-records N]

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const baseUrl = (args.url ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const maxRecords = Number(args['max-records'] ?? 1_000_000);
const idlePolls = Number(args['idle-polls'] ?? 3);

async function call(method, path, body) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.code}: ${json.error}`);
  return json;
}

const decode = (field) => (field === null ? null : Buffer.from(field, 'base64').toString('utf8'));

const { consumer_id: id } = await call('POST', '/api/consumers/subscribe', {
  group_id: args.group, topics: args.topics.split(','), auto_offset_reset: 'earliest', session_timeout_ms: 30000,
});
let seen = 0;
let idle = 0;
try {
  while (seen < maxRecords && idle < idlePolls) {
    const { records } = await call('POST', `/api/consumers/${id}/consume`,
      { max_records: Math.min(500, maxRecords - seen), timeout_ms: 2000 });
    if (records.length === 0) { idle++; continue; }
    idle = 0;
    const offsets = {};
    for (const r of records) {
      console.log(JSON.stringify({ topic: r.topic, partition: r.partition, offset: r.offset, key: decode(r.key), value: decode(r.value) }));
      (offsets[r.topic] ??= {})[String(r.partition)] = r.offset + 1;
    }
    await call('POST', `/api/consumers/${id}/commit`, { offsets });
    seen += records.length;
  }
} finally {
  await call('DELETE', `/api/consumers/${id}`);
}
console.error(`consumed ${seen} records`);
